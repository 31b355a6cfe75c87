package io.myelin.intent;

/** What a passing {@code deadline_ms} does to a still-waiting intent ({@code on_deadline}). */
public enum OnDeadline {
    /** It becomes {@code expired} (the default). */
    EXPIRE,
    /**
     * The first time: {@code assignee} becomes {@code escalate_to}, {@code escalation_level} + 1, and the deadline is
     * extended by the span it had (creation to first deadline); the second time it expires.
     */
    ESCALATE;

    public String wire() {
        return WireNames.of(this);
    }

    /** @throws io.myelin.error.MyelinException 400 naming {@code field} */
    public static OnDeadline parse(String field, String text) {
        return WireNames.parse(field, text, values());
    }
}
