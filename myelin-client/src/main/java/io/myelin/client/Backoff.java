package io.myelin.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with ±20 % jitter, so that many clients cut off by one server restart do not all come
 * back in the same millisecond. Not thread-safe: owned by one reconnect loop.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private int attempt;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The delay before the next attempt; each call doubles the following one, up to the maximum. */
    Duration next() {
        long base = initialNanos << Math.min(attempt, 30);
        if (base <= 0 || base > maxNanos) {
            base = maxNanos;
        }
        attempt++;
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (base * jitter));
    }

    /** Called after a healthy connection: the next failure starts again from the initial delay. */
    void reset() {
        attempt = 0;
    }
}
