package io.myelin.server.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.server.http.Json;
import io.myelin.webhook.Delivery;
import io.myelin.webhook.DeliveryPage;
import io.myelin.webhook.Webhook;
import io.myelin.webhook.WebhookPage;

/**
 * Wire shapes of webhooks and deliveries. Every field is always present, absent values as JSON null (the server's
 * mapper leaves nulls out of records, so these are built as trees).
 */
final class WebhookViews {
    private WebhookViews() {}

    /** {@code {id, url, event_types, axon_id, created_at_ms}}: never the secret. */
    static ObjectNode webhook(Webhook w) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", w.id());
        n.put("url", w.url());
        ArrayNode types = n.putArray("event_types");
        w.eventTypes().forEach(types::add);
        n.put("axon_id", w.axonId());
        n.put("created_at_ms", w.createdAtMs());
        return n;
    }

    static ObjectNode webhooks(WebhookPage page) {
        return page("webhooks", page.webhooks(), WebhookViews::webhook, page.hasMore());
    }

    /**
     * {@code {id, webhook_id, status, event_type, axon_id, sequence, attempts, next_attempt_at_ms, last_attempt_at_ms,
     * last_response_status, last_error, created_at_ms, delivered_at_ms}}.
     */
    static ObjectNode delivery(Delivery d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", d.id());
        n.put("webhook_id", d.webhookId());
        n.put("status", d.status().wireName());
        n.put("event_type", d.eventType());
        n.put("axon_id", d.axonId());
        n.put("sequence", d.sequence());
        n.put("attempts", d.attempts());
        n.put("next_attempt_at_ms", d.nextAttemptAtMs());
        n.put("last_attempt_at_ms", d.lastAttemptAtMs());
        n.put("last_response_status", d.lastResponseStatus());
        n.put("last_error", d.lastError());
        n.put("created_at_ms", d.createdAtMs());
        n.put("delivered_at_ms", d.deliveredAtMs());
        return n;
    }

    static ObjectNode deliveries(DeliveryPage page) {
        return page("deliveries", page.deliveries(), WebhookViews::delivery, page.hasMore());
    }

    /** {@code {<name>: [...], has_more}}. */
    private static <T> ObjectNode page(String name, java.util.List<T> items, java.util.function.Function<T, ObjectNode> view,
                                       boolean hasMore) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode array = n.putArray(name);
        items.forEach(i -> array.add(view.apply(i)));
        n.put("has_more", hasMore);
        return n;
    }
}
