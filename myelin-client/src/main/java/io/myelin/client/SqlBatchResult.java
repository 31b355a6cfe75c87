package io.myelin.client;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a batch, one step per statement in order. A batch is atomic: when a step failed, the server
 * rolled back the whole batch.
 *
 * @param steps one entry per statement
 */
public record SqlBatchResult(List<SqlStep> steps) {
    public SqlBatchResult {
        steps = List.copyOf(steps);
    }

    /** Whether every statement succeeded. */
    public boolean ok() {
        return steps.stream().allMatch(SqlStep::ok);
    }

    /** The 0-based index of the first failed step, if any. */
    public Optional<Integer> firstFailure() {
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).ok()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
