package io.myelin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.client.json.MyelinJson;

/**
 * JSON for {@code --json} output and for reading JSON given on the command line. Output uses the client's own
 * wire mapping ({@link MyelinJson}): the client's records are the wire objects with camelCase components, so a
 * record printed through it reads exactly like the HTTP API's answer.
 */
final class CliJson {
    /** The wire mapping, reading strictly: text after the JSON value is an error, not ignored. */
    static final ObjectMapper MAPPER = MyelinJson.newMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CliJson() {
    }

    /** A client record (axon, event, publish result, SQL result) in its wire shape. */
    static JsonNode wire(Object record) {
        return MAPPER.valueToTree(record);
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
