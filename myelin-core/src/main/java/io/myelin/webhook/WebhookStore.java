package io.myelin.webhook;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The port webhooks are stored through. The adapter is also the outbox: every event appended to an axon gets a
 * pending delivery per matching webhook in the same transaction as the event itself, so a delivery exists exactly
 * when its event does.
 *
 * <p>Threading: every method may be called from any thread; writes go through the adapter's writer and wait for it
 * (at most {@code storage.write-timeout}), reads through its read pool.
 */
public interface WebhookStore {

    /**
     * Stores a webhook; from the commit on, events appended in later transactions that match it get deliveries.
     *
     * @throws io.myelin.error.MyelinException 409 once {@code maxWebhooks} webhooks exist
     */
    NewWebhook create(Webhook webhook, String secret, int maxWebhooks, io.myelin.idempotency.RequestKey key);

    /** The webhook, or null when there is none with this id. */
    Webhook get(String id);

    /** Webhooks in creation order after the one {@code startingAfter} names (null: from the first), at most {@code limit}. */
    WebhookPage list(String startingAfter, int limit);

    /**
     * Deletes a webhook and every delivery of it, pending or not; an attempt in flight finishes but its outcome is
     * not recorded.
     *
     * @return false when there was no such webhook
     */
    boolean delete(String id);

    /**
     * One webhook's deliveries, oldest first, after the one {@code startingAfter} names (null: from the oldest), at most
     * {@code limit}, only those with {@code status} when it is not null.
     *
     * @return null when there is no such webhook
     * @throws io.myelin.error.MyelinException 400 {@code starting_after} when it names no delivery of this webhook
     */
    DeliveryPage deliveries(String webhookId, DeliveryStatus status, String startingAfter, int limit);

    /**
     * Makes a delivery pending again, due at {@code nowMs}, with its attempt count back at 0 (a full schedule).
     *
     * @return the delivery as it now is, or null when the webhook or the delivery does not exist
     */
    Delivery retry(String webhookId, String deliveryId, long nowMs);

    /** Ids of the webhooks that have pending deliveries: where a sender starts after a restart. */
    List<String> webhooksWithPending();

    /** The oldest pending delivery of a webhook, or null when it has none (or no longer exists). */
    DueDelivery oldestPending(String webhookId);

    /** Records an attempt's outcome (see {@link AttemptOutcome} for when it changes nothing). */
    void recordAttempt(AttemptOutcome outcome);

    /**
     * Registers the one listener told, after each commit that added deliveries or retried one, the ids of the
     * webhooks concerned. It runs on the writer thread: it must not block.
     */
    void onDeliveriesAdded(Consumer<Set<String>> listener);
}
