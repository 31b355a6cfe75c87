package io.myelin.intent;

/** Who or what an intent waits on ({@code waiting_for}). Only {@link #TIME} resolves itself. */
public enum WaitingFor {
    /** A person decides: the inbox shows it; resolved with approved / rejected (or completed / failed). */
    HUMAN,
    /** A tool or an external job reports back (a CI run, a payment). */
    TOOL,
    /** Another agent answers. */
    AGENT,
    /** Nothing but the clock: fires by itself at {@code fire_at_ms} with outcome {@code fired}. */
    TIME;

    public String wire() {
        return WireNames.of(this);
    }

    /** @throws io.myelin.error.MyelinException 400 naming {@code field} */
    public static WaitingFor parse(String field, String text) {
        return WireNames.parse(field, text, values());
    }
}
