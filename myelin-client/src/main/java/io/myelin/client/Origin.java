package io.myelin.client;

/**
 * Who produced an event. Publishers may use {@link #EXTERNAL_EVENT}, {@link #AGENT_EVENT} and
 * {@link #USER_EVENT}; the server itself writes {@link #SYSTEM_EVENT}. {@link #UNKNOWN} stands for an origin
 * this client version does not know yet, so that reading a newer server's log never fails on it.
 */
public enum Origin {
    EXTERNAL_EVENT,
    AGENT_EVENT,
    USER_EVENT,
    SYSTEM_EVENT,
    UNKNOWN;

    /** Parses a wire value; values this client does not know map to {@link #UNKNOWN}. */
    public static Origin parse(String wire) {
        if (wire == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(wire);
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
