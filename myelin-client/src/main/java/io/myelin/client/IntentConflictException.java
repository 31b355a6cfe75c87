package io.myelin.client;

import java.util.Objects;

/**
 * A resolve or cancel found the intent no longer waiting: HTTP 409 with the intent as it is now (the wire's
 * {@code {"error": {...}, "intent": IntentView}}). Exactly one resolver of an intent wins; every other gets this, and
 * {@link #intent()} says who won and how. Never retried: the answer cannot change.
 *
 * <pre>{@code
 * try {
 *     client.intents().approve(id, "ok");
 * } catch (IntentConflictException e) {
 *     IntentResolution r = e.intent().resolution();   // e.g. rejected by key_..., or expired
 * }
 * }</pre>
 */
public class IntentConflictException extends ConflictException {
    private final transient Intent intent;

    /**
     * Creates the exception for one 409 answer.
     *
     * @param type    the wire error type
     * @param message the server's message
     * @param field   the request field at fault, or {@code null}
     * @param intent  the intent as the answer described it
     */
    public IntentConflictException(String type, String message, String field, Intent intent) {
        super(409, type, message + " (intent " + intent.id() + " is " + intent.status().wireName()
                + (intent.resolution() == null ? "" : ", " + intent.resolution().outcome().wireName()
                        + " by " + intent.resolution().resolvedBy()) + ")", field);
        this.intent = Objects.requireNonNull(intent, "intent");
    }

    /** The intent as it was when the server refused: no longer waiting, with its resolution. */
    public Intent intent() {
        return intent;
    }
}
