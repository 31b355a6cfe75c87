package io.myelin.stream;

import io.myelin.auth.Caller;
import io.myelin.axon.Axons;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import io.myelin.text.Utf8;
import java.util.List;
import java.util.Objects;

/**
 * The event stream of every axon: publish (single, batch, idempotent), history, and live subscription.
 *
 * <p>A publish is validated on the caller's thread and stored through the {@link EventStore} port, which answers
 * only once the events are durable. Committed events come back through the {@link CommitFeed}: this class moves the
 * axon's committed head and hands them to the {@link Fanout}, which wakes the axon's live subscribers. See
 * {@link Subscription} for the replay/live hand-over.
 *
 * <p>Clients publish {@code USER_EVENT}, {@code AGENT_EVENT} and {@code EXTERNAL_EVENT}; only the server itself
 * appends {@code SYSTEM_EVENT}s ({@link #publishSystem}).
 *
 * <p>Every call that acts on data takes the {@link Caller} it acts for first (access was checked before the call);
 * a publish's retry fingerprint covers it ({@link RequestKey#sentBy}). The server's own appends act as
 * {@link Caller#SYSTEM}.
 *
 * <p>Threading: thread-safe; publishes block the caller (a virtual thread) until durable.
 */
public final class EventLog implements AutoCloseable {
    private static final String SYSTEM_SOURCE = "myelin";

    private final EventStore store;
    private final Axons axons;
    private final StreamLimits limits;
    private final Fanout fanout;
    private final java.util.List<CommitFeed.Listener> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventLog(EventStore store, CommitFeed commits, Axons axons, StreamLimits limits) {
        this.store = store;
        this.axons = axons;
        this.limits = limits;
        this.fanout = new Fanout(limits.maxSubscribersPerAxon(), limits.maxSubscribers(), limits.fanoutQueue());
        commits.listen((axon, events) -> {
            axon.publishCommitted(events.get(events.size() - 1).sequence());
            fanout.deliver(axon, events);
            for (CommitFeed.Listener o : observers) {
                o.committed(axon, events);
            }
        });
        axons.onDelete(this::axonDeleted);
    }

    /**
     * Adds {@code observer}, told of every run of events committed on any axon (on many nodes: by any node), in
     * commit order, after the axon's subscribers were handed them. It runs on the thread that delivers commits (the
     * writer, on one node): it must be quick and must not block.
     */
    public void onCommitted(CommitFeed.Listener observer) {
        observers.add(observer);
    }

    public StreamLimits limits() {
        return limits;
    }

    /**
     * Appends one event; durable when this returns.
     *
     * @param key the client's retry identity, or null: with a key, a repeat of the same request returns the
     *            original's result and appends nothing (422 for a different request under the same key)
     */
    public Appended publish(Caller caller, String axonId, EventDraft draft, RequestKey key) {
        validate(draft, "");
        return append(caller, axonId, List.of(draft), key).get(0);
    }

    /** Appends all events atomically, with contiguous sequences, in the given order (see {@link #publish}). */
    public List<Appended> publishBatch(Caller caller, String axonId, List<EventDraft> drafts, RequestKey key) {
        if (drafts.isEmpty() || drafts.size() > limits.maxBatchEvents()) {
            throw MyelinException.invalid("events", "a batch holds 1.." + limits.maxBatchEvents() + " events, got " + drafts.size());
        }
        for (int i = 0; i < drafts.size(); i++) {
            validate(drafts.get(i), "events[" + i + "].");
        }
        return append(caller, axonId, drafts, key);
    }

    /**
     * Appends a {@code SYSTEM_EVENT} on the server's own behalf (lifecycle, intents): the one path by which that
     * origin enters a stream. {@code payload} is JSON text; {@code eventType} names what happened
     * ({@code turn.started}, {@code devbox.suspended}, ...). Acts as {@link Caller#SYSTEM}. Durable when this
     * returns.
     */
    public Appended publishSystem(String axonId, String eventType, String payload) {
        EventDraft draft = new EventDraft(eventType, Origin.SYSTEM_EVENT, SYSTEM_SOURCE, payload);
        check(draft, "", true);
        return append(Caller.SYSTEM, axonId, List.of(draft), null).get(0);
    }

    /**
     * Like {@link #publishSystem(String, String, String)}, but returns once the append is queued (it commits after
     * every write queued before and before every write queued after; see {@link QueuedWrite}): for events that must
     * precede what another thread writes next, without waiting for a commit in between.
     *
     * @throws MyelinException 404 at once when the axon does not exist; other failures from {@link QueuedWrite#await}
     */
    public QueuedWrite<Appended> publishSystemQueued(String axonId, String eventType, String payload) {
        EventDraft draft = new EventDraft(eventType, Origin.SYSTEM_EVENT, SYSTEM_SOURCE, payload);
        check(draft, "", true);
        QueuedWrite<List<Appended>> queued = store.appendQueued(axons.index().require(axonId), List.of(draft),
                RequestKey.sentBy(Caller.SYSTEM, null));
        return () -> queued.await().get(0);
    }

    /**
     * Appends a {@code SYSTEM_EVENT} produced by a part of the server that acts for someone: a broker relaying an
     * agent ({@code turn.*}, {@code agent.*}, {@code broker.error}), inside the server or through
     * {@code POST /v1/axons/{id}/broker/events}. Like {@link #publish}, a repeat under the same {@code key} returns
     * the first result and appends nothing (422 for a different event under the key). Durable when this returns.
     *
     * @param source the producer's name ({@code broker})
     */
    public Appended publishSystem(Caller caller, String axonId, String eventType, String source, String payload,
                                  RequestKey key) {
        Objects.requireNonNull(caller, "caller");
        EventDraft draft = new EventDraft(eventType, Origin.SYSTEM_EVENT, source, payload);
        check(draft, "", true);
        return append(caller, axonId, List.of(draft), key).get(0);
    }

    /**
     * Like {@link #publishSystem(Caller, String, String, String, String, RequestKey)}, but returns once the append
     * is queued (see {@link QueuedWrite}): checked at once, storage errors from {@link QueuedWrite#await}.
     */
    public QueuedWrite<Appended> publishSystemQueued(Caller caller, String axonId, String eventType, String source,
                                                     String payload, RequestKey key) {
        Objects.requireNonNull(caller, "caller");
        EventDraft draft = new EventDraft(eventType, Origin.SYSTEM_EVENT, source, payload);
        check(draft, "", true);
        QueuedWrite<List<Appended>> queued = store.appendQueued(axons.index().require(axonId), List.of(draft),
                RequestKey.sentBy(caller, key));
        return () -> queued.await().get(0);
    }

    private List<Appended> append(Caller caller, String axonId, List<EventDraft> drafts, RequestKey key) {
        return store.append(axons.index().require(axonId), drafts, RequestKey.sentBy(caller, key));
    }

    /**
     * Up to {@code limit} events, newest first, older than {@code startingAfter} (a sequence; null: from the head).
     * A page that would pass {@code limits.max-page-bytes} once encoded ends early with {@code has_more}.
     */
    public EventPage history(Caller caller, String axonId, Long startingAfter, int limit, boolean includeTotal) {
        return history(caller, axonId, startingAfter, limit, includeTotal, MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #history(Caller, String, Long, int, boolean)} with the page held in {@code memory} until the caller has
     * written it.
     *
     * @throws MyelinException 503 (retry shortly) when the server's budget for answers held in memory is spent
     */
    public EventPage history(Caller caller, String axonId, Long startingAfter, int limit, boolean includeTotal,
                             MemoryBudget.Lease memory) {
        Objects.requireNonNull(caller, "caller");
        if (limit < 1) {
            throw MyelinException.invalid("limit", "limit must be at least 1, got " + limit);
        }
        if (startingAfter != null && startingAfter < 0) {
            throw MyelinException.invalid("starting_after", "starting_after must be a sequence number >= 0, got " + startingAfter);
        }
        LiveAxon axon = axons.index().require(axonId);
        long total = axon.committedSeq();
        long before = startingAfter == null ? Long.MAX_VALUE : startingAfter;
        EventStore.HistorySlice slice = store.before(axon, before, limit, limits.maxPageBytes());
        memory.grow(slice.bytes());
        List<Event> page = slice.events();
        boolean hasMore = slice.more();
        return new EventPage(List.copyOf(page), hasMore, includeTotal ? total : null);
    }

    /** Opens a subscription delivering every event with sequence greater than {@code afterSequence}. */
    public Subscription subscribe(Caller caller, String axonId, long afterSequence) {
        Objects.requireNonNull(caller, "caller");
        if (afterSequence < 0) {
            throw MyelinException.invalid("after_sequence", "after_sequence must be >= 0, got " + afterSequence);
        }
        LiveAxon axon = axons.index().require(axonId);
        SubscriberBuffer buffer = new SubscriberBuffer(limits.subscriberBuffer());
        fanout.register(axon, buffer);
        return new Subscription(axon, afterSequence, buffer, store, fanout);
    }

    public int openSubscriptions() {
        return fanout.total();
    }

    /** Committed batches waiting for the fan-out thread (a gauge). */
    public int fanoutBacklog() {
        return fanout.backlog();
    }

    /** Checks one client draft against the limits; {@code prefix} names its place in a batch ("events[3]."). */
    public void validate(EventDraft d, String prefix) {
        check(d, prefix, false);
    }

    private void check(EventDraft d, String prefix, boolean system) {
        if (d.eventType() == null || d.eventType().isEmpty()) {
            throw MyelinException.invalid(prefix + "event_type", "event_type is required and must not be empty");
        }
        if (d.eventType().length() > limits.maxEventTypeChars()) {
            throw MyelinException.invalid(prefix + "event_type", "event_type is " + d.eventType().length()
                    + " characters; the limit is " + limits.maxEventTypeChars());
        }
        Utf8.checkedLength(d.eventType(), prefix + "event_type");
        if (d.origin() == null) {
            throw MyelinException.invalid(prefix + "origin", "origin is required: one of EXTERNAL_EVENT, AGENT_EVENT, USER_EVENT");
        }
        if (d.origin() == Origin.SYSTEM_EVENT && !system) {
            throw MyelinException.invalid(prefix + "origin", "origin SYSTEM_EVENT is reserved to the server");
        }
        if (d.source() == null) {
            throw MyelinException.invalid(prefix + "source", "source is required");
        }
        if (d.source().length() > limits.maxSourceChars()) {
            throw MyelinException.invalid(prefix + "source", "source is " + d.source().length()
                    + " characters; the limit is " + limits.maxSourceChars());
        }
        Utf8.checkedLength(d.source(), prefix + "source");
        if (d.payload() == null) {
            throw MyelinException.invalid(prefix + "payload", "payload is required (a string)");
        }
        long bytes = Utf8.checkedLength(d.payload(), prefix + "payload");
        if (bytes > limits.maxPayloadBytes()) {
            throw MyelinException.tooLarge(prefix + "payload", "payload is " + bytes + " bytes; the limit is "
                    + limits.maxPayloadBytes());
        }
    }

    private void axonDeleted(LiveAxon axon) {
        fanout.closeAll(axon);
        store.purge(axon);
    }

    /** Ends every open subscription (their streams finish cleanly) and stops the fan-out. */
    @Override
    public void close() {
        fanout.closeEverything();
    }
}
