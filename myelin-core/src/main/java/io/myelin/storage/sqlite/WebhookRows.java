package io.myelin.storage.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.webhook.Delivery;
import io.myelin.webhook.DeliveryStatus;
import io.myelin.webhook.NewWebhook;
import io.myelin.webhook.Webhook;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reading and writing rows of {@code webhooks} and {@code webhook_deliveries} (migration V9). Stateless. */
final class WebhookRows {
    /** The webhook columns {@link #webhook} reads, in order. */
    static final String WEBHOOK_COLUMNS = "w.id, w.url, w.event_types, w.axon_id, w.created_at_ms";
    /** The delivery columns {@link #delivery} reads, in order (the webhook's id comes from a join as {@code w}). */
    static final String DELIVERY_COLUMNS = "d.id, w.id, d.status, d.event_type, d.axon_id, d.sequence, d.attempts,"
            + " d.next_attempt_at_ms, d.last_attempt_at_ms, d.last_response_status, d.last_error, d.created_at_ms,"
            + " d.delivered_at_ms";
    static final int DELIVERY_COLUMN_COUNT = 13;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookRows() {}

    /** A create's stored answer under its request key: the webhook and its secret, as the first answer gave them. */
    static final ResultCodec<NewWebhook> CREATED = new ResultCodec<>() {
        @Override
        public byte[] encode(NewWebhook n) {
            ObjectNode o = JSON.createObjectNode().put("id", n.webhook().id()).put("url", n.webhook().url())
                    .put("axon_id", n.webhook().axonId()).put("created_at_ms", n.webhook().createdAtMs())
                    .put("secret", n.secret());
            n.webhook().eventTypes().forEach(o.putArray("event_types")::add);
            return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public NewWebhook decode(byte[] stored) {
            try {
                JsonNode n = JSON.readTree(stored);
                List<String> types = new java.util.ArrayList<>();
                n.get("event_types").forEach(t -> types.add(t.asText()));
                return new NewWebhook(new Webhook(n.get("id").asText(), n.get("url").asText(), types,
                        n.get("axon_id").isNull() ? null : n.get("axon_id").asText(), n.get("created_at_ms").asLong()),
                        n.get("secret").asText());
            } catch (java.io.IOException | RuntimeException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "stored webhook answer is unreadable: " + e, e);
            }
        }
    };

    static String eventTypesJson(List<String> eventTypes) {
        try {
            return JSON.writeValueAsString(eventTypes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> eventTypes(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "stored webhook event_types are unreadable: " + json, e);
        }
    }

    /** A webhook from {@link #WEBHOOK_COLUMNS} starting at column {@code at}. */
    static Webhook webhook(ResultSet rs, int at) throws SQLException {
        return new Webhook(rs.getString(at), rs.getString(at + 1), eventTypes(rs.getString(at + 2)),
                rs.getString(at + 3), rs.getLong(at + 4));
    }

    /** A delivery from {@link #DELIVERY_COLUMNS} starting at column {@code at}. */
    static Delivery delivery(ResultSet rs, int at) throws SQLException {
        return new Delivery(rs.getString(at), rs.getString(at + 1), DeliveryStatus.ofWireName(rs.getString(at + 2)),
                rs.getString(at + 3), rs.getString(at + 4), rs.getLong(at + 5), rs.getInt(at + 6),
                nullableLong(rs, at + 7), nullableLong(rs, at + 8), nullableInt(rs, at + 9), rs.getString(at + 10),
                rs.getLong(at + 11), nullableLong(rs, at + 12));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
