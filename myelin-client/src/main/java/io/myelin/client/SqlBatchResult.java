package io.myelin.client;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a batch, one result per statement in order. A batch is atomic: when a statement failed, the
 * server rolled back the whole batch.
 *
 * @param results one entry per statement (the wire's {@code results})
 */
public record SqlBatchResult(List<SqlStep> results) {
    public SqlBatchResult {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** Whether every statement succeeded. */
    public boolean ok() {
        return results.stream().allMatch(SqlStep::ok);
    }

    /** The 0-based index of the first failed statement, if any. */
    public Optional<Integer> firstFailure() {
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).ok()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
