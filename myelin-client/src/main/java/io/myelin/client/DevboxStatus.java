package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Where a devbox stands (Runloop's devbox statuses, spelled on the wire in lower case). {@link #UNKNOWN} stands for a
 * status this client does not know, so reading a newer server's answer never fails on it.
 */
public enum DevboxStatus {
    @JsonProperty("provisioning") PROVISIONING,
    @JsonProperty("initializing") INITIALIZING,
    @JsonProperty("running") RUNNING,
    @JsonProperty("suspending") SUSPENDING,
    @JsonProperty("suspended") SUSPENDED,
    @JsonProperty("resuming") RESUMING,
    @JsonProperty("failure") FAILURE,
    @JsonProperty("shutdown") SHUTDOWN,
    @JsonEnumDefaultValue UNKNOWN;

    /** The status as the wire spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the statuses nothing but a client's request changes: failed or shut down. */
    public boolean settled() {
        return this == FAILURE || this == SHUTDOWN;
    }

    /** Parses a wire name ({@code running}); unknown names are {@link #UNKNOWN}. */
    public static DevboxStatus parse(String wire) {
        return WireEnums.parse(values(), UNKNOWN, wire);
    }
}
