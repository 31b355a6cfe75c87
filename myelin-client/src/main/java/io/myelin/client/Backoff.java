package io.myelin.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with decorrelated jitter: each delay is drawn uniformly between the initial delay and three
 * times the previous one, capped at the maximum. Many clients cut off by one server restart thus spread out
 * instead of coming back in the same millisecond, and no delay is shorter than the initial one. The one backoff of
 * this client: request retries and subscription reconnects both use it.
 *
 * <p>Not thread-safe: owned by one retry or reconnect loop.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private long previousNanos;

    /** @param initial the shortest delay; {@code max} the longest ({@code max >= initial > 0}) */
    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = Math.max(initialNanos, max.toNanos());
        this.previousNanos = initialNanos;
    }

    /** The delay before the next attempt. */
    Duration next() {
        long upper = Math.min(maxNanos, previousNanos > maxNanos / 3 ? maxNanos : previousNanos * 3);
        long delay = upper <= initialNanos ? initialNanos : ThreadLocalRandom.current().nextLong(initialNanos, upper + 1);
        previousNanos = delay;
        return Duration.ofNanos(delay);
    }

    /** Called after a healthy connection: the next failure starts again from the initial delay. */
    void reset() {
        previousNanos = initialNanos;
    }
}
