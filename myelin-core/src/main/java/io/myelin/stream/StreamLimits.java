package io.myelin.stream;

/**
 * Limits on publishing and subscribing.
 *
 * @param maxPayloadBytes         largest payload, in UTF-8 bytes
 * @param maxEventTypeChars       longest event_type
 * @param maxSourceChars          longest source
 * @param maxBatchEvents          most events in one batch publish
 * @param maxIdempotencyKeyChars  longest Idempotency-Key
 * @param idempotencyRetentionMs  how long a used idempotency key is remembered
 * @param subscriberBuffer        live events queued per subscriber before it drops back to reading storage
 * @param maxSubscribersPerAxon   concurrent SSE streams on one axon
 * @param maxSubscribers          concurrent SSE streams in total
 * @param maxPageBytes            largest history page, JSON-encoded: a page that would pass it ends early with
 *                                has_more
 * @param fanoutQueue             committed batches that may wait for the fan-out thread; beyond it their subscribers
 *                                re-read from storage
 */
public record StreamLimits(int maxPayloadBytes, int maxEventTypeChars, int maxSourceChars, int maxBatchEvents,
                           int maxIdempotencyKeyChars, long idempotencyRetentionMs, int subscriberBuffer,
                           int maxSubscribersPerAxon, int maxSubscribers, long maxPageBytes,
                           int fanoutQueue) {
    public static final StreamLimits DEFAULTS = new StreamLimits(1 << 20, 256, 256, 1000, 256,
            24L * 3600 * 1000, 1024, 1000, 20_000, 8L << 20, 4096);
}
