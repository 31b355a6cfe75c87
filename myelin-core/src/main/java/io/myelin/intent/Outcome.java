package io.myelin.intent;

/**
 * How an intent ended ({@code resolution.outcome}). A client resolves with one of {@link #RESOLVABLE}; the server
 * records {@link #FIRED}, {@link #CANCELLED} and {@link #EXPIRED} itself.
 */
public enum Outcome {
    APPROVED, REJECTED, COMPLETED, FAILED,
    /** A time intent's {@code fire_at_ms} came. */
    FIRED,
    /** {@code POST /v1/intents/{id}/cancel}; the comment is the reason. */
    CANCELLED,
    /** The deadline passed. */
    EXPIRED;

    /** What {@code POST /v1/intents/{id}/resolve} accepts. */
    static final Outcome[] RESOLVABLE = {APPROVED, REJECTED, COMPLETED, FAILED};

    public String wire() {
        return WireNames.of(this);
    }

    /** The outcome a client may resolve with. @throws io.myelin.error.MyelinException 400 {@code outcome} */
    public static Outcome parseResolvable(String text) {
        return WireNames.parse("outcome", text, RESOLVABLE);
    }

    /** Any outcome, as stored. */
    static Outcome parse(String text) {
        return WireNames.parse("outcome", text, values());
    }

    /** The status an intent resolved with this outcome ends in. */
    public IntentStatus status() {
        return switch (this) {
            case APPROVED, REJECTED, COMPLETED, FIRED -> IntentStatus.COMPLETED;
            case FAILED -> IntentStatus.FAILED;
            case CANCELLED -> IntentStatus.CANCELLED;
            case EXPIRED -> IntentStatus.EXPIRED;
        };
    }
}
