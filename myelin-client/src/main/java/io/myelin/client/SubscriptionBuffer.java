package io.myelin.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The state a {@link SseSubscription} shares between its reader thread and its consumer: the bounded event
 * buffer, the {@link SubscriptionState}, the two cursors and the terminal failure.
 *
 * <p>How "no gap, no duplicate" holds: {@code received} is the sequence of the last event accepted into the
 * buffer, and every (re)connection asks for the events after it. Buffered events stay buffered across
 * reconnects, so nothing the server sent is lost; an event whose sequence is not above {@code received} is
 * dropped, so a replay that overlaps is never delivered twice.
 *
 * <p>Threading: every method may be called from any thread; all state is guarded by one {@link ReentrantLock}.
 * {@link #offer} blocks the reader while the buffer is full (backpressure), {@link #poll} blocks the consumer
 * while it is empty.
 */
final class SubscriptionBuffer {
    private final int capacity;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    // guarded by lock:
    private final ArrayDeque<AxonEvent> events = new ArrayDeque<>();
    private SubscriptionState state = SubscriptionState.CONNECTING;
    private long received;
    private long delivered;
    private MyelinApiException failure;
    private long lastActivityNanos;

    SubscriptionBuffer(long afterSequence, int capacity) {
        this(afterSequence, capacity, System::nanoTime);
    }

    /** @param nanoTime the clock of the silence rule ({@link System#nanoTime()}; tests pass one they move) */
    SubscriptionBuffer(long afterSequence, int capacity, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.received = afterSequence;
        this.delivered = afterSequence;
        this.nanoTime = nanoTime;
        this.lastActivityNanos = nanoTime.getAsLong();
    }

    // ---- consumer side ----

    /** The next event within {@code timeout}; empty on timeout or once closed and drained. */
    Optional<AxonEvent> poll(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (events.isEmpty()) {
                if (state == SubscriptionState.CLOSED) {
                    if (failure != null) {
                        // A fresh instance so the stack trace points at the consumer, not the reader thread.
                        throw MyelinApiException.of(failure.status(), failure.type(), failure.serverMessage(), failure.field());
                    }
                    return Optional.empty();
                }
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (events.size() >= capacity) {
                // The reader may be waiting for this room: its stream was paused by us, not silent, so the
                // silence clock restarts now rather than counting the pause (until the reader runs again).
                lastActivityNanos = nanoTime.getAsLong();
            }
            AxonEvent e = events.poll();
            delivered = e.sequence();
            notFull.signal();
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the subscription is closed and every buffered event has been handed out. */
    boolean finished() {
        lock.lock();
        try {
            return state == SubscriptionState.CLOSED && events.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    SubscriptionState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    long delivered() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes on the caller's request, dropping buffered events: the caller wants no more.
     *
     * @return whether this call closed it (false if it was closed already)
     */
    boolean close() {
        lock.lock();
        try {
            boolean wasOpen = state != SubscriptionState.CLOSED;
            state = SubscriptionState.CLOSED;
            failure = null;
            events.clear();
            notEmpty.signalAll();
            notFull.signalAll();
            return wasOpen;
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side ----

    /** Moves to {@code next} unless closed; returns whether the reader should go on. */
    boolean enter(SubscriptionState next) {
        lock.lock();
        try {
            if (state == SubscriptionState.CLOSED) {
                return false;
            }
            state = next;
            lastActivityNanos = nanoTime.getAsLong();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers one event unless it is a replayed duplicate; waits while the buffer is full. */
    void offer(AxonEvent e) throws InterruptedException {
        lock.lock();
        try {
            if (e.sequence() <= received) {
                return;
            }
            while (events.size() >= capacity && state != SubscriptionState.CLOSED) {
                notFull.await();
            }
            if (state == SubscriptionState.CLOSED) {
                throw new InterruptedException("closed");
            }
            events.add(e);
            received = e.sequence();
            lastActivityNanos = nanoTime.getAsLong(); // time spent waiting for room is not silence
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the subscription with an error that retrying cannot fix; buffered events are still handed out. */
    boolean fail(MyelinApiException e) {
        lock.lock();
        try {
            if (state == SubscriptionState.CLOSED) {
                return false;
            }
            failure = e;
            state = SubscriptionState.CLOSED;
            notEmpty.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the last event received: the next connection asks for the events after it. */
    long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    /** Records that the stream showed life (any line, heartbeats included). */
    void touch() {
        lock.lock();
        try {
            lastActivityNanos = nanoTime.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an open stream has shown no life for longer than {@code silenceNanos}; a stream we stopped reading
     * because the buffer is full does not count as silent. Restarts the silence clock when it answers true.
     */
    boolean silentFor(long silenceNanos) {
        lock.lock();
        try {
            boolean silent = state == SubscriptionState.STREAMING && events.size() < capacity
                    && nanoTime.getAsLong() - lastActivityNanos > silenceNanos;
            if (silent) {
                lastActivityNanos = nanoTime.getAsLong();
            }
            return silent;
        } finally {
            lock.unlock();
        }
    }
}
