package io.myelin.axonsql;

import java.util.List;

/**
 * The result of a batch: one {@link Step} per submitted statement, in submission order. Exactly one of
 * {@code success} and {@code error} is set on each step (the other is {@code null}, and is left out of the
 * JSON by the server's NON_NULL inclusion).
 */
public record BatchResult(List<Step> results) {
    public BatchResult {
        results = List.copyOf(results);
    }

    public record Step(SqlResult success, StepError error) {
        static Step ok(SqlResult result) {
            return new Step(result, null);
        }

        static Step failed(String message) {
            return new Step(null, new StepError(message));
        }
    }

    public record StepError(String message) {}
}
