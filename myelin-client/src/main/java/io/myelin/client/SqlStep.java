package io.myelin.client;

/**
 * The outcome of one statement of a batch: exactly one of {@code result} and {@code error} is set.
 *
 * @param result the statement's result when it succeeded, else {@code null}
 * @param error  the server's error message when it failed, else {@code null}
 */
public record SqlStep(SqlResult result, String error) {
    public boolean ok() {
        return error == null;
    }
}
