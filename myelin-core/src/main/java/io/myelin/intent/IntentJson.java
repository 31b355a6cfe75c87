package io.myelin.intent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;

/**
 * The one rendering of an {@link Intent} as JSON ({@code IntentView}): the HTTP answer, the payload of its
 * {@code intent.*} events and the stored row are the same text, so a subscriber, a poller and a webhook receiver
 * read the same thing. Every field is present (null when absent). Thread-safe.
 *
 * <pre>
 * {id, axon_id, kind, waiting_for, status, title, payload, assignee, fire_at_ms, deadline_ms, remind_every_ms,
 *  next_remind_at_ms, on_deadline, escalate_to, escalation_level, created_at_ms, updated_at_ms, resolved_at_ms,
 *  resolution: {outcome, result, comment, resolved_by, resolved_by_user} | null}
 * </pre>
 */
public final class IntentJson {
    /**
     * Reads fractions exactly (BigDecimal), as the HTTP layer does, so a stored intent reads back as it was accepted:
     * {@code 1e400} stays {@code 1E+400} rather than becoming infinity, and a long fraction keeps its digits.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private IntentJson() {}

    /** The view as a JSON tree. */
    public static ObjectNode view(Intent i) {
        ObjectNode n = NODES.objectNode();
        n.put("id", i.id());
        n.put("axon_id", i.axonId());
        n.put("kind", i.kind());
        n.put("waiting_for", i.waitingFor().wire());
        n.put("status", i.status().wire());
        n.put("title", i.title());
        n.set("payload", i.payload() == null ? NODES.nullNode() : i.payload());
        n.put("assignee", i.assignee());
        n.put("fire_at_ms", i.fireAtMs());
        n.put("deadline_ms", i.deadlineMs());
        n.put("remind_every_ms", i.remindEveryMs());
        n.put("next_remind_at_ms", i.nextRemindAtMs());
        n.put("on_deadline", i.onDeadline().wire());
        n.put("escalate_to", i.escalateTo());
        n.put("escalation_level", i.escalationLevel());
        n.put("created_at_ms", i.createdAtMs());
        n.put("updated_at_ms", i.updatedAtMs());
        n.put("resolved_at_ms", i.resolvedAtMs());
        Resolution r = i.resolution();
        if (r == null) {
            n.putNull("resolution");
        } else {
            ObjectNode rn = n.putObject("resolution");
            rn.put("outcome", r.outcome().wire());
            rn.set("result", r.result() == null ? NODES.nullNode() : r.result());
            rn.put("comment", r.comment());
            rn.put("resolved_by", r.resolvedBy());
            rn.put("resolved_by_user", r.user());
        }
        return n;
    }

    /** The view as JSON text (an event payload, a stored row). */
    public static String text(Intent i) {
        try {
            return JSON.writeValueAsString(view(i));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always encodes", e);
        }
    }

    /**
     * Reads what {@link #text} wrote.
     *
     * @throws MyelinException 500 when the text is not an intent (a damaged row)
     */
    public static Intent parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            JsonNode rn = n.get("resolution");
            Resolution r = rn == null || rn.isNull() ? null : new Resolution(Outcome.parse(rn.get("outcome").asText()),
                    nullable(rn.get("result")), string(rn, "comment"), string(rn, "resolved_by"),
                    string(rn, "resolved_by_user"));
            return new Intent(n.get("id").asText(), n.get("axon_id").asText(), n.get("kind").asText(),
                    WaitingFor.parse("waiting_for", n.get("waiting_for").asText()),
                    IntentStatus.parse("status", n.get("status").asText()), string(n, "title"),
                    nullable(n.get("payload")), string(n, "assignee"), number(n, "fire_at_ms"),
                    number(n, "deadline_ms"), number(n, "remind_every_ms"), number(n, "next_remind_at_ms"),
                    OnDeadline.parse("on_deadline", n.get("on_deadline").asText()), string(n, "escalate_to"),
                    n.get("escalation_level").asInt(), n.get("created_at_ms").asLong(),
                    n.get("updated_at_ms").asLong(), number(n, "resolved_at_ms"), r);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "stored intent is unreadable: " + e.getMessage(), e);
        }
    }

    private static JsonNode nullable(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    private static String string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }
}
