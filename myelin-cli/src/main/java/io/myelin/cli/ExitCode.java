package io.myelin.cli;

/**
 * The exit statuses of the client commands, so scripts can branch on what went wrong. Documented for users in
 * README.md ("Exit status"); changing a value is a breaking change.
 */
final class ExitCode {
    /** Success; for {@code exec}: the turn completed (or the {@code --until} event arrived). */
    static final int OK = 0;
    /** Unexpected failure: a server error (5xx), a response this client cannot read. */
    static final int FAILURE = 1;
    /** The command line is wrong (unknown option, missing argument). picocli's own usage status. */
    static final int USAGE = 2;
    /** The axon (or other resource) does not exist. */
    static final int NOT_FOUND = 3;
    /** The API key is missing, wrong (401) or not allowed to do this (403). */
    static final int AUTH = 4;
    /** The server rejected the request as invalid (400, 409, 413, 415, 422, 429), or a SQL step failed. */
    static final int REJECTED = 5;
    /** The server could not be reached, or the connection broke mid-request. */
    static final int UNREACHABLE = 6;
    /**
     * {@code exec}: the {@code --timeout} passed before the turn ended; {@code intents show --wait}: the wait passed
     * with the intent still waiting.
     */
    static final int TIMEOUT = 7;
    /** {@code exec}: the turn ended with {@code turn.failed {turn_id, error, stop_reason}}. */
    static final int TURN_FAILED = 8;
    /** {@code devboxes ... --wait}, {@code exec --agent}: the devbox failed or shut down instead of reaching the status waited for. */
    static final int DEVBOX_FAILED = 9;
    /**
     * {@code exec}: the turn was cancelled ({@code turn.completed} with {@code stop_reason: "cancelled"}, after a
     * {@code session/cancel}, a Claude interrupt or a {@code turn.cancel} event): it ended, but did not finish.
     */
    static final int TURN_CANCELLED = 10;

    private ExitCode() {
    }
}
