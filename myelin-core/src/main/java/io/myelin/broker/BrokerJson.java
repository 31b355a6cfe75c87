package io.myelin.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.stream.Event;
import java.util.Iterator;
import java.util.Locale;

/** The JSON the broker reads and writes: agent lines, event payloads, system event payloads. */
final class BrokerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BrokerJson() {
    }

    /** {@code text} parsed, or null when it is not JSON. */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@code text} parsed when it is a JSON object, else null. */
    static ObjectNode object(String text) {
        return parse(text) instanceof ObjectNode o ? o : null;
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** What a client is told about its event whose payload is not a JSON object: which event, and what it holds. */
    static String notAnObject(Event e, JsonNode parsed) {
        return "the payload of " + e.eventType() + " #" + e.sequence() + " is not a JSON object ("
                + (parsed == null ? "not JSON at all" : "a JSON " + parsed.getNodeType().name().toLowerCase(Locale.ROOT))
                + ")";
    }

    /** The string field {@code name} of {@code node}, or null when absent or not a string. */
    static String string(JsonNode node, String name) {
        JsonNode v = node == null ? null : node.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /**
     * What a plain message says to an agent: the payload's {@code text} when it is an object with a string
     * {@code text}, the string when the payload is a JSON string, otherwise the payload itself (JSON, or whatever
     * text it is) as one text block.
     */
    static String plainText(String payload) {
        JsonNode p = parse(payload);
        if (p instanceof ObjectNode o && o.get("text") != null && o.get("text").isTextual()) {
            return o.get("text").asText();
        }
        if (p != null && p.isTextual()) {
            return p.asText();
        }
        return payload;
    }

    /**
     * Whether a client's answer to an agent's request is a JSON-RPC error: an object of only {@code code} (an
     * integer), {@code message} (a string) and {@code data}.
     */
    static boolean isRpcError(JsonNode n) {
        if (!(n instanceof ObjectNode o) || o.get("code") == null || !o.get("code").isIntegralNumber()
                || o.get("message") == null || !o.get("message").isTextual()) {
            return false;
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("code") && !f.equals("message") && !f.equals("data")) {
                return false;
            }
        }
        return true;
    }
}
