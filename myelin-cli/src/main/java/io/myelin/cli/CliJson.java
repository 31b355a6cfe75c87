package io.myelin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** JSON output in the wire's own shapes (snake_case), so {@code --json} output reads like the HTTP API. */
final class CliJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper WIRE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private CliJson() {
    }

    /**
     * A client record (axon, event, publish result, SQL result) in its wire shape: the records' components are the
     * wire fields in camelCase, so a snake_case mapper writes exactly what the HTTP API returned.
     */
    static JsonNode wire(Object record) {
        return WIRE.valueToTree(record);
    }

    /** Parses JSON text, or returns {@code null} when it is not JSON. */
    static JsonNode tryParse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String line(JsonNode n) {
        return n.toString();
    }
}
