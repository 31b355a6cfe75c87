package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Whom (or what) an {@link Intent} waits for, spelled on the wire in lower case. {@link #UNKNOWN} stands for a value
 * this client does not know; it cannot be sent.
 */
public enum WaitingFor {
    /** A person: approvals, answers; what {@link Intents#inbox} lists. */
    @JsonProperty("human") HUMAN,
    /** A tool or job outside the server, e.g. a CI run reporting back. */
    @JsonProperty("tool") TOOL,
    /** Another agent. */
    @JsonProperty("agent") AGENT,
    /** A point in time: the server resolves it itself at {@code fire_at_ms}, with the outcome {@code fired}. */
    @JsonProperty("time") TIME,
    /** A value newer than this client. */
    @JsonEnumDefaultValue UNKNOWN;

    /** The value as the wire spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code human}); unknown names are {@link #UNKNOWN}. */
    public static WaitingFor parse(String wire) {
        return WireEnums.parse(values(), UNKNOWN, wire);
    }
}
