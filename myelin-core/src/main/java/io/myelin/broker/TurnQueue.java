package io.myelin.broker;

import io.myelin.stream.Event;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The turn-starting events waiting for the running turn, in sequence order: at most {@code max} of them, of which
 * only the first {@code maxHeldBytes} of payload are held in memory; the others are kept as sequences and read
 * from the axon again when their turn comes. So a client publishing a thousand large messages during a long turn
 * costs the broker a few megabytes, not a gigabyte.
 *
 * <p>Confined to the broker's thread.
 */
final class TurnQueue {
    private final int max;
    private final long maxHeldBytes;
    private final ArrayDeque<Long> order = new ArrayDeque<>();
    private final Map<Long, Event> held = new HashMap<>();
    private long heldBytes;

    TurnQueue(int max, long maxHeldBytes) {
        this.max = max;
        this.maxHeldBytes = maxHeldBytes;
    }

    /** True when no more events may wait (the broker then leaves the axon unread until a turn ends). */
    boolean full() {
        return order.size() >= max;
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    void add(Event e) {
        order.add(e.sequence());
        long size = weight(e);
        if (heldBytes + size <= maxHeldBytes) {
            held.put(e.sequence(), e);
            heldBytes += size;
        }
    }

    /**
     * The next event, read again through {@code reread} when it was not held.
     *
     * @throws java.util.NoSuchElementException when empty
     */
    Event poll(LongFunction<Event> reread) {
        long seq = order.remove();
        Event e = held.remove(seq);
        if (e == null) {
            return reread.apply(seq);
        }
        heldBytes -= weight(e);
        return e;
    }

    private static long weight(Event e) {
        return 2L * (e.payload().length() + e.eventType().length() + e.source().length()) + 64;
    }
}
