package io.myelin.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON mapper of the HTTP layer. Engine records map to wire objects by name: record components are
 * camelCase in Java and snake_case on the wire ({@code createdAtMs} → {@code created_at_ms}).
 *
 * <p>Reading is strict (request bodies have already passed {@link io.myelin.text.JsonText}): a duplicate key is an
 * error naming the key, not a silent last-wins; anything after the root value is an error; Jackson's defaults
 * already refuse comments, single quotes, NaN, leading zeros and unescaped control characters, and bound nesting
 * depth and number length ({@code StreamReadConstraints}). Fractional numbers are read exactly (BigDecimal), so a
 * value that no double can hold (an SQL parameter of {@code 1e-400} or {@code 1e400}) is refused downstream instead
 * of becoming 0 or infinity.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Json() {}
}
