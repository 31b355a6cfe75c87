package io.myelin.webhook;

/**
 * One event owed to one webhook, and how its attempts went.
 *
 * @param id                 {@code msg_} + 26 random base32 characters: the {@code webhook-id} header of every
 *                           attempt, so receivers can de-duplicate
 * @param webhookId          the webhook it is owed to
 * @param status             pending, delivered or dead
 * @param eventType          the event's type
 * @param axonId             the event's axon
 * @param sequence           the event's sequence on that axon
 * @param attempts           attempts made since it was created or last retried by hand
 * @param nextAttemptAtMs    when the next attempt is due (ms since the epoch), null unless pending
 * @param lastAttemptAtMs    when the last attempt started, null before the first
 * @param lastResponseStatus the HTTP status of the last answer, null when there was none (before the first attempt,
 *                           a timeout, a connection failure, a refused target)
 * @param lastError          why the last attempt failed, null when it succeeded or none was made
 * @param createdAtMs        when the event was committed
 * @param deliveredAtMs      when a receiver acknowledged it, null until then
 */
public record Delivery(String id, String webhookId, DeliveryStatus status, String eventType, String axonId,
                       long sequence, int attempts, Long nextAttemptAtMs, Long lastAttemptAtMs,
                       Integer lastResponseStatus, String lastError, long createdAtMs, Long deliveredAtMs) {}
