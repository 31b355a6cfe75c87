package io.myelin.client;

/**
 * The outcome of one statement of a batch: exactly one of {@code success} and {@code error} is set. Named as on
 * the wire ({@code {"success": {...}}} or {@code {"error": {"message": ...}}}).
 *
 * @param success the statement's result when it succeeded, else {@code null}
 * @param error   why it failed (or was not executed because an earlier statement failed), else {@code null}
 */
public record SqlStep(SqlResult success, SqlStepError error) {
    /** Whether the statement succeeded. */
    public boolean ok() {
        return error == null;
    }
}
