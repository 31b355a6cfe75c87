package io.myelin.stream;

import io.myelin.axon.Axons;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.Idempotency;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.Storage;
import io.myelin.storage.WriteCall;
import io.myelin.text.Utf8;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream of every axon: publish (single, batch, idempotent), history, and live subscription.
 *
 * <p>A publish is validated on the caller's thread, queued to the single writer, and answered only after the
 * group holding it has been committed and fsync'd; the writer then hands the events to the axon's live
 * subscribers. See {@link io.myelin.storage.GroupCommitWriter} for the commit algorithm and {@link Subscription}
 * for the replay/live hand-over.
 *
 * <p>Background work (purging deleted axons' events, expiring idempotency keys) runs on one maintenance thread,
 * which only queues writer ops: the writer itself never submits to its own queue.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final Storage storage;
    private final Axons axons;
    private final StreamLimits limits;
    private final Fanout fanout;
    private final EventReads reads;
    private final WriterStatements statements = new WriterStatements();
    private final ScheduledExecutorService maintenance;
    private final Idempotency idempotency;

    public EventLog(Storage storage, Axons axons, StreamLimits limits, Idempotency idempotency) {
        this.storage = storage;
        this.idempotency = idempotency;
        this.axons = axons;
        this.limits = limits;
        this.fanout = new Fanout(limits.maxSubscribersPerAxon(), limits.maxSubscribers());
        this.reads = new EventReads(storage.reads());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("myelin-maintenance").daemon(true).unstarted(r));
        axons.onDelete(this::axonDeleted);
        for (long[] pending : reads.pendingPurges()) {
            schedulePurge(pending[0], PurgeOp.CHUNK, pending[1]);
        }
        maintenance.scheduleWithFixedDelay(this::expireIdempotencyKeys, 1, 10, TimeUnit.MINUTES);
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
    public Appended publish(String axonId, EventDraft draft, RequestKey key) {
        validate(draft, "");
        return append(axonId, List.of(draft), key).get(0);
    }

    /** Appends all events atomically, with contiguous sequences, in the given order (see {@link #publish}). */
    public List<Appended> publishBatch(String axonId, List<EventDraft> drafts, RequestKey key) {
        if (drafts.isEmpty() || drafts.size() > limits.maxBatchEvents()) {
            throw MyelinException.invalid("events", "a batch holds 1.." + limits.maxBatchEvents() + " events, got " + drafts.size());
        }
        for (int i = 0; i < drafts.size(); i++) {
            validate(drafts.get(i), "events[" + i + "].");
        }
        return append(axonId, drafts, key);
    }

    private List<Appended> append(String axonId, List<EventDraft> drafts, RequestKey key) {
        LiveAxon axon = axons.index().require(axonId);
        return WriteCall.run(storage.writer(), new AppendOp(axon, drafts, key, idempotency, statements, fanout));
    }

    /**
     * Up to {@code limit} events, newest first, older than {@code startingAfter} (a sequence; null: from the head).
     * A page that would pass {@code limits.max-page-bytes} once encoded ends early with {@code has_more}.
     */
    public EventPage history(String axonId, Long startingAfter, int limit, boolean includeTotal) {
        return history(axonId, startingAfter, limit, includeTotal, MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #history(String, Long, int, boolean)} with the page held in {@code memory} until the caller has
     * written it.
     *
     * @throws MyelinException 503 (retry shortly) when the server's budget for answers held in memory is spent
     */
    public EventPage history(String axonId, Long startingAfter, int limit, boolean includeTotal, MemoryBudget.Lease memory) {
        if (limit < 1) {
            throw MyelinException.invalid("limit", "limit must be at least 1, got " + limit);
        }
        if (startingAfter != null && startingAfter < 0) {
            throw MyelinException.invalid("starting_after", "starting_after must be a sequence number >= 0, got " + startingAfter);
        }
        LiveAxon axon = axons.index().require(axonId);
        long total = axon.committedSeq();
        long before = startingAfter == null ? Long.MAX_VALUE : startingAfter;
        EventReads.Slice slice = reads.before(axon, before, limit, limits.maxPageBytes());
        memory.grow(slice.bytes());
        List<Event> page = slice.events();
        boolean hasMore = slice.more();
        return new EventPage(List.copyOf(page), hasMore, includeTotal ? total : null);
    }

    /** Opens a subscription delivering every event with sequence greater than {@code afterSequence}. */
    public Subscription subscribe(String axonId, long afterSequence) {
        if (afterSequence < 0) {
            throw MyelinException.invalid("after_sequence", "after_sequence must be >= 0, got " + afterSequence);
        }
        LiveAxon axon = axons.index().require(axonId);
        SubscriberBuffer buffer = new SubscriberBuffer(limits.subscriberBuffer());
        fanout.register(axon, buffer);
        return new Subscription(axon, afterSequence, buffer, reads, fanout);
    }

    public int openSubscriptions() {
        return fanout.total();
    }

    /** Checks one draft against the limits; {@code prefix} names its place in a batch ("events[3]."). */
    public void validate(EventDraft d, String prefix) {
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
        if (d.origin() == Origin.SYSTEM_EVENT) {
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
        schedulePurge(axon.pk(), PurgeOp.CHUNK, axon.committedSeq());
    }

    private void schedulePurge(long pk, long upTo, long lastSeq) {
        maintenance.execute(() -> storage.writer().submit(
                new PurgeOp(pk, upTo, lastSeq, () -> schedulePurge(pk, upTo + PurgeOp.CHUNK, lastSeq))));
    }

    private void expireIdempotencyKeys() {
        try {
            long n = idempotency.expireOnce();
            if (n > 0) {
                log.info("expired {} idempotency keys", n);
            }
        } catch (RuntimeException e) {
            log.warn("idempotency key expiry failed; will retry: {}", e.getMessage());
        }
    }

    /** Ends every open subscription (their streams finish cleanly) and stops background work. */
    @Override
    public void close() {
        fanout.closeEverything();
        maintenance.shutdownNow();
    }

}
