package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What happens when a waiting {@link Intent}'s deadline passes, spelled on the wire in lower case. */
public enum OnDeadline {
    /** It becomes {@code expired} (the default). */
    @JsonProperty("expire") EXPIRE,
    /**
     * It is handed to {@code escalate_to} ({@code escalation_level} + 1) and its deadline is extended by the same
     * span, once; at the second deadline it expires.
     */
    @JsonProperty("escalate") ESCALATE,
    /** A value newer than this client; cannot be sent. */
    @JsonEnumDefaultValue UNKNOWN;

    /** The value as the wire spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code escalate}); unknown names are {@link #UNKNOWN}. */
    public static OnDeadline parse(String wire) {
        return WireEnums.parse(values(), UNKNOWN, wire);
    }
}
