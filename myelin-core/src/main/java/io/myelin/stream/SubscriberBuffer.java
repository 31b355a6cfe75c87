package io.myelin.stream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small bounded queue between the fan-out thread (producer) and one subscriber (consumer).
 *
 * <p>The producer never waits here: when the queue is full it drops the events and sets {@code overflowed}. The
 * subscriber sees the flag on its next poll and re-reads from storage from its own cursor, so a slow reader costs
 * the publishers nothing and loses nothing. The queue starts tiny and grows up to its capacity, so ten thousand idle
 * subscribers cost ten thousand small deques.
 */
final class SubscriberBuffer {
    enum Wake { EVENTS, OVERFLOWED, CLOSED, TIMEOUT }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Event> queue = new ArrayDeque<>(4);
    private final int capacity;
    private boolean overflowed;
    private boolean closed;

    SubscriberBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Fan-out thread: hands over committed events, or marks overflow when they do not fit. Never blocks long. */
    void offer(List<Event> events) {
        lock.lock();
        try {
            if (closed || overflowed) {
                return;
            }
            if (queue.size() + events.size() > capacity) {
                overflowed = true;
                queue.clear();
            } else {
                queue.addAll(events);
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks events as missed without handing any over (the fan-out queue was full): the subscriber re-reads from
     * storage from its cursor. Any thread; never blocks long.
     */
    void overflow() {
        lock.lock();
        try {
            if (!closed) {
                overflowed = true;
                queue.clear();
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Subscriber thread: waits up to {@code timeoutNanos} for something to happen and moves any queued events into
     * {@code sink}. An overflow clears the flag and the queue: the caller must re-read storage from its cursor.
     */
    Wake await(long timeoutNanos, List<Event> sink, int max) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (true) {
                if (closed) {
                    return Wake.CLOSED;
                }
                if (overflowed) {
                    overflowed = false;
                    queue.clear();
                    return Wake.OVERFLOWED;
                }
                if (!queue.isEmpty()) {
                    for (int i = 0; i < max && !queue.isEmpty(); i++) {
                        sink.add(queue.poll());
                    }
                    return Wake.EVENTS;
                }
                if (remaining <= 0) {
                    return Wake.TIMEOUT;
                }
                remaining = changed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops whatever is queued; the caller is about to re-read storage and would skip it anyway. */
    void clear() {
        lock.lock();
        try {
            queue.clear();
            overflowed = false;
        } finally {
            lock.unlock();
        }
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
