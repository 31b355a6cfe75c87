package io.myelin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.client.Axon;
import io.myelin.client.AxonEvent;
import io.myelin.client.Published;
import io.myelin.client.SqlColumn;
import io.myelin.client.SqlResult;

/** JSON output in the wire's own shapes (snake_case), so {@code --json} output reads like the HTTP API. */
final class CliJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CliJson() {
    }

    static ObjectNode axon(Axon a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", a.id());
        if (a.name() == null) {
            o.putNull("name");
        } else {
            o.put("name", a.name());
        }
        o.set("metadata", MAPPER.valueToTree(a.metadata()));
        o.put("created_at_ms", a.createdAtMs());
        return o;
    }

    static ObjectNode event(AxonEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("axon_id", e.axonId());
        o.put("sequence", e.sequence());
        o.put("event_type", e.eventType());
        o.put("origin", e.origin().name());
        o.put("source", e.source());
        o.put("payload", e.payload());
        o.put("timestamp_ms", e.timestampMs());
        return o;
    }

    static ObjectNode published(Published p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("sequence", p.sequence());
        o.put("timestamp_ms", p.timestampMs());
        return o;
    }

    static ObjectNode sqlResult(SqlResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode cols = o.putArray("columns");
        for (SqlColumn c : r.columns()) {
            cols.addObject().put("name", c.name()).put("type", c.type());
        }
        o.set("rows", MAPPER.valueToTree(r.rows()));
        o.putObject("meta")
                .put("changes", r.meta().changes())
                .put("duration_ms", r.meta().durationMs())
                .put("rows_read_limit_reached", r.meta().rowsReadLimitReached());
        return o;
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
