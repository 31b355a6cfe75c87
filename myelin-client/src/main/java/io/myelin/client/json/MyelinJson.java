package io.myelin.client.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The one definition of how the Axon API's JSON maps to the client's records, shared by the client and the
 * {@code myelin} command line: record components are camelCase in Java and snake_case on the wire
 * ({@code createdAtMs} ↔ {@code created_at_ms}), the same rule as the server's mapper.
 *
 * <ul>
 *   <li>Reading ignores fields this client does not know, so a newer server's additions never break it; an
 *       {@code origin} it does not know reads as {@code Origin.UNKNOWN}.</li>
 *   <li>Whole numbers read into untyped values ({@code Object}, as in SQL rows) are {@link Long}s (or
 *       {@link java.math.BigInteger}s when they exceed a long), never {@link Integer}s.</li>
 *   <li>Writing leaves out {@code null} fields, as the server does, rather than sending {@code "name": null}.</li>
 * </ul>
 */
public final class MyelinJson {
    private MyelinJson() {
    }

    /**
     * A new mapper with the configuration above. Each call returns a fresh instance, so a caller that tunes its
     * own (e.g. stricter parsing) cannot change anyone else's. Like any {@link ObjectMapper}, it is thread-safe once
     * configured.
     */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    }
}
