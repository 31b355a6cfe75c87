package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Who produced an event. Publishers may use {@link #EXTERNAL_EVENT}, {@link #AGENT_EVENT} and
 * {@link #USER_EVENT}; the server itself writes {@link #SYSTEM_EVENT}. {@link #UNKNOWN} stands for an origin
 * this client version does not know yet, so that reading a newer server's log never fails on it.
 */
public enum Origin {
    /** From outside the conversation: a webhook, a CI job, a monitor. */
    EXTERNAL_EVENT,
    /** Written by an agent. */
    AGENT_EVENT,
    /** Written on behalf of a person. */
    USER_EVENT,
    /** Written by the server itself; cannot be published. */
    SYSTEM_EVENT,
    /** An origin newer than this client; cannot be published. */
    @JsonEnumDefaultValue
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
