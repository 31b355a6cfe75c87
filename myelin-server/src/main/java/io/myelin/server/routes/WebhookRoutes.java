package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.auth.Action;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Router;
import io.myelin.webhook.DeliveryStatus;
import io.myelin.webhook.NewWebhook;
import io.myelin.webhook.Webhooks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Webhooks: {@code POST/GET /v1/webhooks}, {@code GET/DELETE /v1/webhooks/{webhook_id}},
 * {@code GET /v1/webhooks/{webhook_id}/deliveries} and
 * {@code POST /v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry}. The captures are not named {@code id}, so the
 * access check sees no axon: webhook actions are server-wide.
 */
public final class WebhookRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("url", "event_types", "axon_id");
    private static final int DEFAULT_LIMIT = 50;

    private final Webhooks webhooks;
    private final int maxListLimit;

    /** @param maxListLimit the largest {@code limit} ({@code limits.max-list-limit}) */
    public WebhookRoutes(Webhooks webhooks, int maxListLimit) {
        this.webhooks = webhooks;
        this.maxListLimit = maxListLimit;
    }

    public void register(Router r) {
        r.route("POST", "/v1/webhooks", Action.WEBHOOK_MANAGE, this::create);
        r.route("GET", "/v1/webhooks", Action.WEBHOOK_READ, ex -> ex.ok(WebhookViews.webhooks(webhooks.list(
                ex.caller(), cursor(ex), ex.intQuery("limit", DEFAULT_LIMIT, 1, maxListLimit)))));
        r.route("GET", "/v1/webhooks/{webhook_id}", Action.WEBHOOK_READ,
                ex -> ex.ok(WebhookViews.webhook(webhooks.get(ex.caller(), ex.path("webhook_id")))));
        r.route("DELETE", "/v1/webhooks/{webhook_id}", Action.WEBHOOK_MANAGE, this::delete);
        r.route("GET", "/v1/webhooks/{webhook_id}/deliveries", Action.WEBHOOK_READ, this::deliveries);
        r.route("POST", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", Action.WEBHOOK_MANAGE,
                ex -> ex.ok(WebhookViews.delivery(webhooks.retry(ex.caller(), ex.path("webhook_id"),
                        ex.path("delivery_id")))));
    }

    /** {@code {url, event_types, axon_id?}} → 201 with the webhook and its {@code secret}, shown only here. */
    private void create(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        if (!body.isObject()) {
            throw MyelinException.invalid("body", "the body must be a JSON object, got " + Bodies.describe(body));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!CREATE_FIELDS.contains(f)) {
                throw MyelinException.invalid(f, "unknown field '" + f + "': a webhook has url, event_types and axon_id");
            }
        }
        String url = Bodies.string(body, "url", "", true);
        String axonId = Bodies.string(body, "axon_id", "", false);
        NewWebhook created = webhooks.create(ex.caller(), url, eventTypes(body), axonId, ex.requestKey(body));
        ObjectNode view = WebhookViews.webhook(created.webhook());
        view.put("secret", created.secret());
        ex.send(201, view);
    }

    private static List<String> eventTypes(JsonNode body) {
        JsonNode v = body.get("event_types");
        if (v == null || v.isNull()) {
            throw MyelinException.invalid("event_types", "event_types is required: a list of event types, 'prefix.*'"
                    + " patterns or '*'");
        }
        if (!v.isArray()) {
            throw MyelinException.invalid("event_types", "event_types must be an array of strings, got "
                    + Bodies.describe(v));
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw MyelinException.invalid("event_types[" + i + "]", "event_types[" + i + "] must be a string, got "
                        + Bodies.describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private void delete(Exchange ex) throws Exception {
        String id = ex.path("webhook_id");
        webhooks.delete(ex.caller(), id);
        ObjectNode n = io.myelin.server.http.Json.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("deleted", true);
        ex.ok(n);
    }

    private void deliveries(Exchange ex) throws Exception {
        String status = ex.query("status");
        DeliveryStatus wanted = null;
        if (status != null && !status.isEmpty()) {
            try {
                wanted = DeliveryStatus.ofWireName(status);
            } catch (IllegalArgumentException e) {
                throw MyelinException.invalid("status", e.getMessage());
            }
        }
        ex.ok(WebhookViews.deliveries(webhooks.deliveries(ex.caller(), ex.path("webhook_id"), wanted, cursor(ex),
                ex.intQuery("limit", DEFAULT_LIMIT, 1, maxListLimit))));
    }

    private static String cursor(Exchange ex) {
        String v = ex.query("starting_after");
        return v == null || v.isEmpty() ? null : v;
    }
}
