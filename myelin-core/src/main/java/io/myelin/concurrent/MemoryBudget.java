package io.myelin.concurrent;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server-wide cap on the bytes of large answers held in memory at once: SQL results and history or list pages
 * that are read, encoded and then written to clients that may read them slowly. Without it, N slow readers of the
 * largest allowed answer hold N times that answer, and enough of them exhaust the heap.
 *
 * <p><b>Algorithm.</b> One atomic counter. A request takes a {@link Lease} and grows it while it builds its answer
 * ({@link Lease#grow}); growth that would pass the capacity fails at once (never waits: the request is refused or
 * truncated by its caller, see there), and the lease gives everything back when the answer has been written
 * ({@link Lease#close}). Small answers cost a few atomic adds, and are never refused: a lease's first
 * {@value #SMALL_ANSWER_BYTES} bytes are always granted (and counted), so slow readers of large answers can make
 * the server refuse other large answers, but never a {@code SELECT 1} or a one-event page. What small answers hold
 * is bounded by the connections that can ask for them, {@value #SMALL_ANSWER_BYTES} bytes each; {@link #used} may
 * pass the capacity by that much. A long-lived stream that can wait (an SSE stream
 * between pages) may instead wait for room ({@link #awaitRoom}); it reserves nothing while it waits, so waiting
 * can never deadlock: what is held is given back as its clients read, or when their connections time out.
 *
 * <p>Threading: thread-safe. A lease is normally used by one thread at a time (the thread building the answer,
 * then the one writing it), but its methods are synchronized so that a caller giving up early (closing) while the
 * builder still grows it can never leak bytes: growth after close fails.
 */
public final class MemoryBudget {
    /** A lease holding no more than this is a small answer: its growth is never refused. */
    public static final long SMALL_ANSWER_BYTES = 64 * 1024;

    private final long capacity;
    private final String setting;
    private final AtomicLong used = new AtomicLong();
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition freed = roomLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();

    /** @param setting the configuration key that sets {@code capacity}, named in refusals */
    public MemoryBudget(long capacity, String setting) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.setting = setting;
    }

    /** A budget that never refuses (engine callers that are not serving network clients). */
    public static MemoryBudget unbounded() {
        return new MemoryBudget(Long.MAX_VALUE, "none");
    }

    public Lease lease() {
        return new Lease();
    }

    /** Bytes held by open leases right now. */
    public long used() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }

    /**
     * Waits until {@code bytes} more would fit, at most {@code timeoutNanos}; reserves nothing (another caller may
     * take the room first, so grow afterwards and be ready to wait again).
     *
     * @return true when they fit now
     */
    public boolean awaitRoom(long bytes, long timeoutNanos) throws InterruptedException {
        roomLock.lock();
        waiters.incrementAndGet(); // before the check: a release after it sees the waiter and signals
        try {
            long remaining = timeoutNanos;
            while (used.get() + bytes > capacity) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = freed.awaitNanos(remaining);
            }
            return true;
        } finally {
            waiters.decrementAndGet();
            roomLock.unlock();
        }
    }

    private void give(long bytes) {
        used.addAndGet(-bytes);
        if (bytes > 0 && waiters.get() > 0) {
            roomLock.lock();
            try {
                freed.signalAll();
            } finally {
                roomLock.unlock();
            }
        }
    }

    private boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** The bytes one answer holds. Close it once the answer is written (or abandoned). */
    public final class Lease implements AutoCloseable {
        private long held;
        private boolean closed;

        private Lease() {}

        /**
         * Adds {@code bytes} to the lease if the budget has them, or if the lease stays a small answer (at most
         * {@value #SMALL_ANSWER_BYTES} bytes); false (and nothing taken) otherwise.
         */
        public synchronized boolean tryGrow(long bytes) {
            if (closed) {
                throw new IllegalStateException("lease already closed");
            }
            if (bytes <= 0) {
                return true;
            }
            if (held + bytes <= SMALL_ANSWER_BYTES) {
                used.addAndGet(bytes);
            } else if (!tryTake(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /**
         * Adds {@code bytes}, or fails with 503 and {@code Retry-After}: the server is holding as much as it may
         * for clients reading earlier answers, and this answer can be asked for again shortly.
         */
        public void grow(long bytes) {
            if (!tryGrow(bytes)) {
                throw refusal(bytes);
            }
        }

        /** The 503 {@link #grow} throws, for callers that decide later whether to raise it. */
        public MyelinException refusal(long bytes) {
            return new MyelinException(ErrorKind.UNAVAILABLE, null, "the server is holding " + (used() >> 20)
                    + " MiB of answers for clients still reading them, its limit (" + setting + " = "
                    + (capacity >> 20) + " MiB); this answer needs " + Math.max(1, bytes >> 20)
                    + " MiB more: retry shortly").retry(true, Duration.ofSeconds(1)).nothingApplied();
        }

        /** Bytes held by this lease. */
        public synchronized long held() {
            return held;
        }

        /** Gives everything back. Idempotent. */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                give(held);
                held = 0;
            }
        }
    }
}
