package io.myelin.server.http;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one log line per interval; the next line that gets through says how many were left out meanwhile. For
 * lines that a client can cause at will (load shedding), so that the log stays readable and cheap under a flood.
 *
 * <p>Thread-safe and lock-free: one CAS per line that gets through, one add per line left out.
 */
final class RateLimitedLog {
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    void warn(Logger log, String format, Object... args) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        log.warn(left == 0 ? format : format + " (" + left + " similar lines left out)", args);
    }
}
