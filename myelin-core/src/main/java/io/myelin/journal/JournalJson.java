package io.myelin.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rendering of a {@link JournalRecord} as JSON ({@code JournalStep}): the HTTP answer, the stored answer of
 * a retried write, and the text of results and chunks in storage. Thread-safe.
 *
 * <pre>
 * {step, status, result, recorded_at_ms, attempt, chunk_count, chunks?: [...], created?: bool}
 * </pre>
 * {@code chunks} is present when the record was read with them (one step); {@code created} on the answers of
 * writes that may record a step.
 */
public final class JournalJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JournalJson() {}

    /** The view of {@code r}. */
    public static ObjectNode view(JournalRecord r) {
        ObjectNode n = NODES.objectNode();
        n.put("step", r.step());
        n.put("status", r.status().wire());
        n.set("result", r.result() == null ? NODES.nullNode() : r.result());
        n.put("recorded_at_ms", r.recordedAtMs());
        n.put("attempt", r.attempt());
        n.put("chunk_count", r.chunkCount());
        if (r.chunks() != null) {
            ArrayNode chunks = n.putArray("chunks");
            r.chunks().forEach(chunks::add);
        }
        return n;
    }

    /** The view of a write's answer: the record and whether this write recorded it. */
    public static ObjectNode view(Recorded r) {
        return view(r.record()).put("created", r.created());
    }

    /** The record a {@link #view} shows. */
    public static JournalRecord record(JsonNode view) {
        JsonNode chunks = view.get("chunks");
        List<JsonNode> list = null;
        if (chunks != null) {
            list = new ArrayList<>(chunks.size());
            chunks.forEach(list::add);
        }
        return new JournalRecord(view.get("step").asText(), StepStatus.stored(view.get("status").asText()),
                view.get("result"), list, view.get("chunk_count").asInt(), view.get("attempt").asInt(),
                view.get("recorded_at_ms").asLong());
    }

    /** The answer a {@link #view(Recorded)} shows. */
    public static Recorded recorded(JsonNode view) {
        return new Recorded(record(view), view.get("created").asBoolean());
    }

    /** {@code value} as compact JSON text, as stored. */
    public static String text(JsonNode value) {
        return value.toString();
    }

    /** Stored JSON text back as a tree. */
    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored journal JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
