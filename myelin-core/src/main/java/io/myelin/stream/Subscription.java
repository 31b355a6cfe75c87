package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.lifecycle.Lifecycle;
import io.myelin.lifecycle.TransitionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One reader's ordered view of an axon's stream, from a starting cursor onwards: stored events first, then live
 * ones, with no gap and no duplicate.
 *
 * <p><b>Algorithm.</b> The subscription registers its buffer with the fan-out <em>before</em> it reads storage.
 * Everything committed before registration is therefore in storage, and everything committed after it is offered
 * to the buffer (or, if the buffer was full, flagged as overflow). Reading storage pages from the cursor until a
 * page comes back empty, then taking live events and dropping any at or below the cursor, yields each sequence
 * exactly once. A live event that does not follow the cursor (the buffer overflowed and was cleared) sends the
 * subscription back to storage from its cursor: slow readers catch up from disk instead of slowing publishers.
 *
 * <p><b>Memory.</b> What a reader holds is one page at a time: storage is read in pages of at most
 * {@value #PAGE_EVENTS} events and {@link #PAGE_BYTES} JSON-encoded bytes (a single larger event is a page of its
 * own), and every page is counted in the caller's {@link MemoryBudget.Lease} before it is returned. A page the
 * budget has no room for is not consumed: a stored page is dropped and read again later, live events send the
 * subscription back to storage. {@link #wantedBytes()} then says how much room the next try needs. A reader in the
 * server that bounds what it holds itself (the broker) reads with {@link #next(long)}, which counts nothing.
 *
 * <p>The lifecycle is a {@link TransitionTable} ({@link #LIFECYCLE}, drawn in {@code docs/lifecycles.md}). A
 * {@link #close} from another thread may overtake the consumer's own moves, so those are fired only if still
 * allowed: a closed subscription stays closed.
 *
 * <p>Threading: one consumer thread calls {@link #next}; {@link #close} may be called from any thread.
 */
public final class Subscription implements AutoCloseable {
    /** Where the subscription stands. */
    public enum State { CATCHING_UP, LIVE, CLOSED }

    /** What moves it. */
    public enum Trigger {
        /** A storage page came back empty: everything committed before registration has been returned. */
        CAUGHT_UP,
        /** The live buffer overflowed, or a live event did not follow the cursor: read storage again. */
        FELL_BEHIND,
        /** The reader or the server ended it, or the axon was deleted. */
        CLOSE
    }

    /** The subscription's lifecycle; anything else is a bug ({@link io.myelin.lifecycle.IllegalTransitionException}). */
    public static final TransitionTable<State, Trigger> LIFECYCLE = TransitionTable
            .builder("subscription", State.class, Trigger.class, State.CATCHING_UP)
            .on(State.CATCHING_UP, Trigger.CAUGHT_UP, State.LIVE)
            .on(State.LIVE, Trigger.FELL_BEHIND, State.CATCHING_UP)
            .onAny(Trigger.CLOSE, State.CLOSED, State.CATCHING_UP, State.LIVE)
            .build();

    private static final int PAGE_EVENTS = 1000;
    /** The encoded size at which a page read from storage ends (at least one event is always read). */
    public static final long PAGE_BYTES = 1L << 20;
    private static final int LIVE_BATCH = 1000;

    private final LiveAxon axon;
    private final SubscriberBuffer buffer;
    private final EventStore reads;
    private final Fanout fanout;
    private final Lifecycle<State, Trigger> lifecycle = new Lifecycle<>(LIFECYCLE);
    private long cursor;
    private long wanted;

    Subscription(LiveAxon axon, long after, SubscriberBuffer buffer, EventStore reads, Fanout fanout) {
        this.axon = axon;
        this.cursor = after;
        this.buffer = buffer;
        this.reads = reads;
        this.fanout = fanout;
    }

    /** Sequence of the last event returned (or the starting cursor). */
    public long cursor() {
        return cursor;
    }

    public State state() {
        return lifecycle.state();
    }

    public String axonId() {
        return axon.id();
    }

    /** Bytes the last {@link #next} needed and the budget did not have; 0 when it was not refused. */
    public long wantedBytes() {
        return wanted;
    }

    /**
     * The next events in sequence order, waiting up to {@code timeoutMillis} for live ones, with their encoded
     * bytes plus {@code overheadBytes} (what the caller needs to write them) added to {@code memory} (the caller
     * closes it once the events are written). Returns an empty list on
     * timeout, once closed (check {@link #state()}), or when {@code memory} could not grow by the page's size:
     * then {@link #wantedBytes()} is positive and nothing was consumed.
     *
     * @throws MyelinException NOT_FOUND when the axon was deleted
     */
    public List<Event> next(long timeoutMillis, MemoryBudget.Lease memory, long overheadBytes) throws InterruptedException {
        return read(timeoutMillis, Objects.requireNonNull(memory, "memory"), overheadBytes);
    }

    /**
     * The next events in sequence order, as {@link #next(long, MemoryBudget.Lease, long)}, with no memory
     * accounting: for a reader in the server that bounds what it holds itself (the broker's inbox,
     * {@code BrokerOptions}), not for HTTP answers, which the server-wide budget bounds. A call still returns at most
     * one storage page ({@value #PAGE_EVENTS} events, {@link #PAGE_BYTES} bytes, or one larger event) or one live
     * batch. Returns an empty list on timeout or once closed.
     *
     * @throws MyelinException NOT_FOUND when the axon was deleted
     */
    public List<Event> next(long timeoutMillis) throws InterruptedException {
        return read(timeoutMillis, null, 0);
    }

    /** {@code memory} null: nothing is counted. */
    private List<Event> read(long timeoutMillis, MemoryBudget.Lease memory, long overheadBytes) throws InterruptedException {
        long deadline = System.nanoTime() + SubscriberBuffer.nanos(timeoutMillis);
        wanted = 0;
        while (true) {
            State state = lifecycle.state();
            if (state == State.CLOSED) {
                return List.of();
            }
            if (state == State.CATCHING_UP) {
                buffer.clear();
                List<Event> page = reads.after(axon, cursor, PAGE_EVENTS, PAGE_BYTES);
                if (!page.isEmpty()) {
                    if (!hold(page, memory, overheadBytes)) {
                        return List.of(); // dropped: read again from the same cursor once there is room
                    }
                    cursor = page.get(page.size() - 1).sequence();
                    return page;
                }
                lifecycle.fireIfAllowed(Trigger.CAUGHT_UP); // false only when closed meanwhile
            }
            List<Event> live = new ArrayList<>();
            switch (buffer.await(deadline - System.nanoTime(), live, LIVE_BATCH)) {
                case CLOSED -> {
                    close();
                    if (axon.deleted()) {
                        throw MyelinException.notFound("axon", axon.id());
                    }
                    return List.of();
                }
                case OVERFLOWED -> lifecycle.fireIfAllowed(Trigger.FELL_BEHIND);
                case TIMEOUT -> {
                    return List.of();
                }
                case EVENTS -> {
                    int from = 0;
                    while (from < live.size() && live.get(from).sequence() <= cursor) {
                        from++;
                    }
                    if (from == live.size()) {
                        continue;
                    }
                    if (live.get(from).sequence() != cursor + 1) {
                        lifecycle.fireIfAllowed(Trigger.FELL_BEHIND);
                        continue;
                    }
                    List<Event> fresh = from == 0 ? live : live.subList(from, live.size());
                    if (!hold(fresh, memory, overheadBytes)) {
                        // They left the buffer and cannot be put back: storage has them, read them from there.
                        lifecycle.fireIfAllowed(Trigger.FELL_BEHIND);
                        return List.of();
                    }
                    cursor = fresh.get(fresh.size() - 1).sequence();
                    return fresh;
                }
            }
        }
    }

    /** Counts {@code events} in {@code memory}; false (and {@link #wanted} set) when the budget has no room. */
    private boolean hold(List<Event> events, MemoryBudget.Lease memory, long overheadBytes) {
        if (memory == null) {
            return true;
        }
        long bytes = overheadBytes;
        for (Event e : events) {
            bytes += e.jsonBytes();
        }
        if (memory.tryGrow(bytes)) {
            return true;
        }
        // A live batch can be larger than a page; storage will serve it a page at a time.
        wanted = overheadBytes + Math.min(bytes - overheadBytes, Math.max(PAGE_BYTES, events.getFirst().jsonBytes()));
        return false;
    }

    @Override
    public void close() {
        if (lifecycle.fireIfAllowed(Trigger.CLOSE)) {
            buffer.close();
            fanout.unregister(axon, buffer);
        }
    }
}
