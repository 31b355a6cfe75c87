package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import io.myelin.stream.Appended;
import io.myelin.stream.CommitFeed;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventStore} and {@link CommitFeed} over the {@code events} table: appends are {@link AppendOp}s in the
 * writer's group transactions (sequences assigned on the writer thread from {@link LiveAxon#pendingSeq()}); the
 * feed's listener is called on the writer thread right after each commit, before the publisher is answered.
 *
 * <p>Purging a deleted axon's events runs in chunks of {@value PurgeOp#CHUNK}: each chunk is a writer op whose
 * commit queues the next one from the purge thread (the writer never submits to its own queue). A tombstone not yet
 * marked purged is resumed at the next start.
 */
final class SqliteEventStore implements EventStore, CommitFeed {
    private static final Logger log = LoggerFactory.getLogger(SqliteEventStore.class);
    private static final Listener NOBODY = (axon, events) -> {};

    private final GroupCommitWriter writer;
    private final EventReads reads;
    private final RequestKeyTable keys;
    private final ExecutorService purger;
    private final AxonAppender appender;
    private volatile Listener listener = NOBODY;

    SqliteEventStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys, ExecutorService purger,
                     Outbox outbox) {
        this.writer = writer;
        this.appender = new AxonAppender((a, events) -> listener.committed(a, events), outbox);
        this.reads = new EventReads(reads);
        this.keys = keys;
        this.purger = purger;
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public List<Appended> append(LiveAxon axon, List<EventDraft> drafts, RequestKey key) {
        return appendQueued(axon, drafts, key).await();
    }

    @Override
    public QueuedWrite<List<Appended>> appendQueued(LiveAxon axon, List<EventDraft> drafts, RequestKey key) {
        return WriteCall.queue(writer, new AppendOp(axon, drafts, key, keys, appender));
    }

    /** Appends events inside other write ops of this adapter (state changes whose events share their transaction). */
    AxonAppender appender() {
        return appender;
    }

    @Override
    public List<Event> after(LiveAxon axon, long after, int maxEvents, long maxBytes) {
        return reads.after(axon, after, maxEvents, maxBytes);
    }

    @Override
    public HistorySlice before(LiveAxon axon, long before, int limit, long maxBytes) {
        return reads.before(axon, before, limit, maxBytes);
    }

    @Override
    public void purge(LiveAxon axon) {
        schedulePurge(axon.pk(), PurgeOp.CHUNK, axon.committedSeq());
    }

    /** Resumes purges that a stop interrupted. Called once at open. */
    void resumePurges() {
        for (long[] pending : reads.pendingPurges()) {
            schedulePurge(pending[0], PurgeOp.CHUNK, pending[1]);
        }
    }

    private void schedulePurge(long pk, long upTo, long lastSeq) {
        try {
            purger.execute(() -> writer.submit(
                    new PurgeOp(pk, upTo, lastSeq, () -> schedulePurge(pk, upTo + PurgeOp.CHUNK, lastSeq))));
        } catch (RejectedExecutionException stopping) {
            log.debug("purge of axon {} stops with the server; it resumes at the next start", pk);
        }
    }
}
