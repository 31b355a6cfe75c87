package io.myelin.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.client.json.MyelinJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON for {@code --json} output and for reading JSON given on the command line. Output uses the client's own
 * wire mapping ({@link MyelinJson}): the client's records are the wire objects with camelCase components, so a
 * record printed through it reads exactly like the HTTP API's answer.
 */
final class CliJson {
    /** The wire mapping, reading strictly: text after the JSON value is an error, not ignored. */
    static final ObjectMapper MAPPER = MyelinJson.newMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Writes every field, {@code null}s included, for records whose wire object always has them all. */
    private static final ObjectMapper COMPLETE = MyelinJson.newMapper().setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private CliJson() {
    }

    /** A client record (axon, event, publish result, SQL result) in its wire shape. */
    static JsonNode wire(Object record) {
        return MAPPER.valueToTree(record);
    }

    /**
     * A client record in its wire shape with its {@code null} fields, for objects the server always sends whole
     * (intents), so {@code --json} output has the same fields as the HTTP answer.
     */
    static JsonNode complete(Object record) {
        return COMPLETE.valueToTree(record);
    }

    /** Parses JSON text, or returns {@code null} when it is not JSON. */
    static JsonNode tryParse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The JSON an option gives: its value, or with {@code @path} the file's contents; stripped, and checked to be
     * JSON (a usage problem naming {@code what} otherwise).
     */
    static String argument(String what, String value) throws IOException {
        return checked(what, value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value);
    }

    /**
     * {@code text}, stripped, once it is known to be JSON. The server stores any string, but consumers expect JSON:
     * the typo is caught here, before it is in the log.
     */
    static String checked(String what, String text) {
        String t = text.strip();
        if (t.isEmpty() || tryParse(t) == null) {
            throw new Failures.UsageProblem(what + " is not valid JSON: " + Table.cell(t));
        }
        return t;
    }

    static String line(JsonNode n) {
        return n.toString();
    }
}
