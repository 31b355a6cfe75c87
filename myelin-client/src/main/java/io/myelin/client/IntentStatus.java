package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Where an {@link Intent} stands, spelled on the wire in lower case. Only {@link #WAITING} can change; every other
 * status is final. {@link #UNKNOWN} stands for a status this client does not know, so reading a newer server's
 * answer never fails on it.
 */
public enum IntentStatus {
    /** Not resolved yet: resolve, cancel, a deadline or (for time intents) its fire time ends it. */
    @JsonProperty("waiting") WAITING,
    /** Resolved as approved, rejected or completed (or fired, for a time intent). */
    @JsonProperty("completed") COMPLETED,
    /** Resolved with the outcome {@code failed}. */
    @JsonProperty("failed") FAILED,
    /** Cancelled before anyone resolved it. */
    @JsonProperty("cancelled") CANCELLED,
    /** Its deadline passed while it was waiting. */
    @JsonProperty("expired") EXPIRED,
    /** A status newer than this client. */
    @JsonEnumDefaultValue UNKNOWN;

    /** The status as the wire spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code waiting}); unknown names are {@link #UNKNOWN}. */
    public static IntentStatus parse(String wire) {
        return WireEnums.parse(values(), UNKNOWN, wire);
    }
}
