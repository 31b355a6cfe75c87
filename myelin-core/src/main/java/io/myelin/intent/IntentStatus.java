package io.myelin.intent;

/**
 * Where an intent stands ({@code status}). {@link #WAITING} is the only state that moves; the others are final
 * (see {@link IntentLifecycle}).
 */
public enum IntentStatus {
    WAITING,
    /** Resolved with approved, rejected or completed, or a time intent fired. */
    COMPLETED,
    /** Resolved with failed. */
    FAILED,
    CANCELLED,
    /** Its deadline passed while it was waiting (after the one escalation, when it had one). */
    EXPIRED;

    public String wire() {
        return WireNames.of(this);
    }

    /** @throws io.myelin.error.MyelinException 400 naming {@code field} */
    public static IntentStatus parse(String field, String text) {
        return WireNames.parse(field, text, values());
    }
}
