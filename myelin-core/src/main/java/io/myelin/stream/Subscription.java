package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.error.MyelinException;
import io.myelin.lifecycle.Lifecycle;
import io.myelin.lifecycle.TransitionTable;
import java.util.ArrayList;
import java.util.List;

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
    private static final long PAGE_BYTES = 4L << 20;
    private static final int LIVE_BATCH = 1000;

    private final LiveAxon axon;
    private final SubscriberBuffer buffer;
    private final EventStore reads;
    private final Fanout fanout;
    private final Lifecycle<State, Trigger> lifecycle = new Lifecycle<>(LIFECYCLE);
    private long cursor;

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

    /**
     * The next events in sequence order, waiting up to {@code timeoutMillis} for live ones. Returns an empty list
     * on timeout or once closed (check {@link #state()}).
     *
     * @throws MyelinException NOT_FOUND when the axon was deleted
     */
    public List<Event> next(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + SubscriberBuffer.nanos(timeoutMillis);
        while (true) {
            State state = lifecycle.state();
            if (state == State.CLOSED) {
                return List.of();
            }
            if (state == State.CATCHING_UP) {
                buffer.clear();
                List<Event> page = reads.after(axon, cursor, PAGE_EVENTS, PAGE_BYTES);
                if (!page.isEmpty()) {
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
                    cursor = fresh.get(fresh.size() - 1).sequence();
                    return fresh;
                }
            }
        }
    }

    @Override
    public void close() {
        if (lifecycle.fireIfAllowed(Trigger.CLOSE)) {
            buffer.close();
            fanout.unregister(axon, buffer);
        }
    }
}
