package io.myelin.storage;

/**
 * A write handed to storage that may not be durable yet. Storage applies writes in the order they were queued
 * (one writer): a write queued after this one returned commits after it, or in the same transaction group. So a
 * caller can queue several writes that must land in order and wait once, for the last, rather than once per write.
 *
 * <p>Threading: {@link #await} may be called from any thread, once or more; it blocks until the write committed or
 * failed, at most {@code storage.write-timeout}.
 *
 * @param <T> what the write answers once durable
 */
public interface QueuedWrite<T> {
    /**
     * Waits until the write is durable and returns its answer.
     *
     * @throws io.myelin.error.MyelinException what failed it; 503 (retry) when no answer came within
     *                                         {@code storage.write-timeout} (it may or may not be applied)
     */
    T await();
}
