package io.myelin.webhook;

import io.myelin.auth.Caller;
import io.myelin.axon.AxonIndex;
import io.myelin.error.MyelinException;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook management: create, read, list, delete, and a webhook's deliveries (list, retry by hand). Who may call
 * these is decided before, by {@link io.myelin.auth.AccessPolicy} on the route's action (server-wide actions
 * {@link io.myelin.auth.Action#WEBHOOK_READ} and {@link io.myelin.auth.Action#WEBHOOK_MANAGE}).
 *
 * <p>Errors: 400 naming the field ({@code url}, {@code event_types[i]}, {@code axon_id}, {@code status},
 * {@code starting_after}), 404 for an unknown webhook or delivery, or an {@code axon_id} naming no live axon, 409 once
 * {@code webhooks.max-webhooks} exist. Thread-safe.
 */
public final class Webhooks {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final WebhookStore store;
    private final WebhookSender sender;
    private final AxonIndex axons;
    private final WebhookOptions options;
    private final int maxEventTypeChars;
    private final InstantSource clock;

    /**
     * @param maxEventTypeChars the longest event type ({@code limits.max-event-type-chars}): a pattern names one
     */
    public Webhooks(WebhookStore store, WebhookSender sender, AxonIndex axons, WebhookOptions options,
                    int maxEventTypeChars, InstantSource clock) {
        this.store = store;
        this.sender = sender;
        this.axons = axons;
        this.options = options;
        this.maxEventTypeChars = maxEventTypeChars;
        this.clock = clock;
    }

    /**
     * Creates a webhook; the answer is the only one that carries its secret. With a {@code key} already used for the
     * same request, creates nothing and answers what the first request answered (the same webhook and secret).
     */
    public NewWebhook create(Caller caller, String url, List<String> eventTypes, String axonId,
                             io.myelin.idempotency.RequestKey key) {
        URI target = TargetGuard.parse(url);
        EventTypeFilter.check(eventTypes, maxEventTypeChars + 2);
        if (axonId != null && axons.find(axonId) == null) {
            throw new MyelinException(io.myelin.error.ErrorKind.NOT_FOUND, "axon_id", "axon_id names no axon: " + axonId);
        }
        new TargetGuard(options.allowPrivateTargets()).checkTarget(target);
        String secret = WebhookIds.secret();
        NewWebhook created = store.create(new Webhook(WebhookIds.webhook(), url, eventTypes, axonId, clock.millis()),
                secret, options.maxWebhooks(), io.myelin.idempotency.RequestKey.sentBy(caller, key));
        log.info("webhook {} created by {} for {} on {}", created.webhook().id(), caller.keyId(), eventTypes,
                axonId == null ? "every axon" : axonId);
        return created;
    }

    /** @throws MyelinException 404 when there is no such webhook */
    public Webhook get(Caller caller, String id) {
        Webhook w = store.get(id);
        if (w == null) {
            throw MyelinException.notFound("webhook", id);
        }
        return w;
    }

    public WebhookPage list(Caller caller, String startingAfter, int limit) {
        return store.list(startingAfter, limit);
    }

    /** Deletes a webhook and its deliveries. @throws MyelinException 404 when there is no such webhook */
    public void delete(Caller caller, String id) {
        if (!store.delete(id)) {
            throw MyelinException.notFound("webhook", id);
        }
        log.info("webhook {} deleted by {}", id, caller.keyId());
    }

    /** @throws MyelinException 404 when there is no such webhook */
    public DeliveryPage deliveries(Caller caller, String webhookId, DeliveryStatus status, String startingAfter,
                                   int limit) {
        DeliveryPage page = store.deliveries(webhookId, status, startingAfter, limit);
        if (page == null) {
            throw MyelinException.notFound("webhook", webhookId);
        }
        return page;
    }

    /**
     * Makes a delivery pending again with a full schedule, due now, whatever its status: a dead one is tried again, a
     * delivered one sent again (with the same {@code webhook-id}). It goes out in its place in the webhook's order:
     * before the webhook's later pending deliveries.
     *
     * @throws MyelinException 404 when there is no such webhook or delivery
     */
    public Delivery retry(Caller caller, String webhookId, String deliveryId) {
        Delivery d = store.retry(webhookId, deliveryId, clock.millis());
        if (d == null) {
            throw store.get(webhookId) == null ? MyelinException.notFound("webhook", webhookId)
                    : MyelinException.notFound("delivery", deliveryId);
        }
        sender.retried(webhookId);
        return d;
    }
}
