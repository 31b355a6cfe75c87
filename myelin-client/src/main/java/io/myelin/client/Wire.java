package io.myelin.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translation between the wire's snake_case JSON and this package's records. Done by hand rather than by
 * data binding so that unknown fields from newer servers are ignored and the records need no annotations.
 */
final class Wire {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Wire() {
    }

    static String toJsonText(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize payload to JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Axon axon(JsonNode n) {
        Map<String, String> metadata = new LinkedHashMap<>();
        n.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new Axon(n.path("id").asText(), textOrNull(n, "name"), metadata, n.path("created_at_ms").asLong());
    }

    static AxonEvent event(JsonNode n) {
        return new AxonEvent(n.path("axon_id").asText(), n.path("sequence").asLong(), n.path("event_type").asText(),
                Origin.parse(textOrNull(n, "origin")), n.path("source").asText(), payloadText(n.get("payload")),
                n.path("timestamp_ms").asLong());
    }

    static Published published(JsonNode n) {
        return new Published(n.path("sequence").asLong(), n.path("timestamp_ms").asLong());
    }

    static EventPage eventPage(JsonNode n) {
        List<AxonEvent> events = new ArrayList<>();
        n.path("events").forEach(e -> events.add(event(e)));
        return new EventPage(events, n.path("has_more").asBoolean(false), longOrNull(n, "total_count"));
    }

    static ObjectNode newEvent(NewEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event_type", e.eventType());
        o.put("origin", e.origin().name());
        o.put("payload", e.payload());
        o.put("source", e.source());
        return o;
    }

    static ObjectNode statement(SqlStatement s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("sql", s.sql());
        if (!s.params().isEmpty()) {
            ArrayNode params = o.putArray("params");
            for (Object p : s.params()) {
                // BLOBs travel as {"$blob": base64}; a bare base64 string would bind as TEXT.
                params.add(p instanceof byte[] bytes
                        ? MAPPER.createObjectNode().put("$blob", Base64.getEncoder().encodeToString(bytes))
                        : MAPPER.valueToTree(p));
            }
        }
        return o;
    }

    static SqlResult sqlResult(JsonNode n) {
        List<SqlColumn> columns = new ArrayList<>();
        n.path("columns").forEach(c -> columns.add(new SqlColumn(c.path("name").asText(), c.path("type").asText(""))));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode r : n.path("rows")) {
            List<Object> row = new ArrayList<>();
            r.forEach(v -> row.add(scalar(v)));
            rows.add(row);
        }
        JsonNode m = n.path("meta");
        return new SqlResult(columns, rows, new SqlMeta(m.path("changes").asLong(), m.path("duration_ms").asDouble(),
                m.path("rows_read_limit_reached").asBoolean(false)));
    }

    static SqlBatchResult sqlBatch(JsonNode n) {
        List<SqlStep> steps = new ArrayList<>();
        for (JsonNode s : n.path("results")) {
            JsonNode error = s.get("error");
            if (error != null && !error.isNull()) {
                steps.add(new SqlStep(null, error.path("message").asText("unknown error")));
            } else {
                steps.add(new SqlStep(sqlResult(s.path("success")), null));
            }
        }
        return new SqlBatchResult(steps);
    }

    /** A JSON value as the plain Java value SqlRow documents. */
    private static Object scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.asLong() : v.bigIntegerValue();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        return v.toString(); // objects or arrays: keep them as JSON text
    }

    /** The wire says payload is JSON text, but tolerate a server that inlines the JSON value. */
    private static String payloadText(JsonNode p) {
        if (p == null || p.isNull()) {
            return "null";
        }
        return p.isTextual() ? p.asText() : p.toString();
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }
}
