package io.myelin.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How an {@link Intent} ended ({@link IntentResolution#outcome()}), spelled on the wire in lower case. A caller
 * resolves with one of {@link #APPROVED}, {@link #REJECTED}, {@link #COMPLETED} or {@link #FAILED}
 * ({@link #resolvable()}); the server itself writes {@link #FIRED}, {@link #CANCELLED} and {@link #EXPIRED}.
 */
public enum IntentOutcome {
    /** Approved (status {@code completed}). */
    @JsonProperty("approved") APPROVED,
    /** Rejected (status {@code completed}: the wait is over, the answer is no). */
    @JsonProperty("rejected") REJECTED,
    /** Done, typically by a tool or an agent, with a result (status {@code completed}). */
    @JsonProperty("completed") COMPLETED,
    /** Failed (status {@code failed}). */
    @JsonProperty("failed") FAILED,
    /** A time intent's fire time came (written by the server). */
    @JsonProperty("fired") FIRED,
    /** Cancelled (written by the server on cancel). */
    @JsonProperty("cancelled") CANCELLED,
    /** Its deadline passed (written by the server). */
    @JsonProperty("expired") EXPIRED,
    /** An outcome newer than this client. */
    @JsonEnumDefaultValue UNKNOWN;

    /** The outcome as the wire spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the outcomes a caller may resolve an intent with. */
    public boolean resolvable() {
        return this == APPROVED || this == REJECTED || this == COMPLETED || this == FAILED;
    }

    /** Parses a wire name ({@code approved}); unknown names are {@link #UNKNOWN}. */
    public static IntentOutcome parse(String wire) {
        return WireEnums.parse(values(), UNKNOWN, wire);
    }
}
