package io.myelin.client;

import java.time.Duration;

/**
 * {@link Intents#await} ran out of time while the intent was still waiting (or while the server could not be
 * asked). Nothing happened to the intent: await again, or act on {@link #intent()}.
 */
public class IntentTimeoutException extends MyelinException {
    private final transient Intent intent;
    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param intentId the intent waited for
     * @param timeout  how long the caller waited
     * @param intent   the last state the server reported, or {@code null} when no answer came in time
     * @param cause    the failure of the last attempt, when the last attempt failed; else {@code null}
     */
    public IntentTimeoutException(String intentId, Duration timeout, Intent intent, Throwable cause) {
        super("intent " + intentId + (intent == null ? " could not be read" : " is still " + intent.status().wireName())
                + " after waiting " + timeout.toMillis() + " ms"
                + (cause == null ? "" : " (last attempt: " + cause.getMessage() + ")"), cause);
        this.intent = intent;
        this.timeout = timeout;
    }

    /** The intent's last known state (still waiting), or {@code null} when the server never answered in time. */
    public Intent intent() {
        return intent;
    }

    /** How long the caller waited. */
    public Duration timeout() {
        return timeout;
    }
}
