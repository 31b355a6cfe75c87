package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import java.util.List;

/**
 * Port: where events are kept. The engine ({@link EventLog}) validates and serves subscriptions; an adapter stores,
 * numbers and reads events, and tells the {@link CommitFeed} about every committed append.
 *
 * <p>Threading: thread-safe; calls block the caller until done. Errors are
 * {@link io.myelin.error.MyelinException}s.
 */
public interface EventStore {

    /**
     * Appends the drafts as a contiguous run of the axon's next sequences, all in one transaction, durable when this
     * returns; the committed events then reach the {@link CommitFeed} in commit order. With a key, a repeat of the
     * same request returns the original run and appends nothing (422 for a different request under the key).
     *
     * @throws io.myelin.error.MyelinException 404 when the axon was deleted; 503/507 when storage cannot write
     */
    List<Appended> append(LiveAxon axon, List<EventDraft> drafts, RequestKey key);

    /**
     * Like {@link #append}, but returns once the append is queued: it commits after every write queued before this
     * returned and before every write queued after it (see {@link QueuedWrite}). Errors that {@link #append} throws
     * come from {@link QueuedWrite#await}.
     */
    QueuedWrite<List<Appended>> appendQueued(LiveAxon axon, List<EventDraft> drafts, RequestKey key);

    /**
     * Events with sequence greater than {@code after}, ascending: at most {@code maxEvents}, and no more once
     * {@code maxBytes} of JSON-encoded events were read (at least one, if any exists). For replay.
     */
    List<Event> after(LiveAxon axon, long after, int maxEvents, long maxBytes);

    /** A history page: events below {@code before}, newest first (see {@link HistorySlice}). */
    HistorySlice before(LiveAxon axon, long before, int limit, long maxBytes);

    /**
     * Removes a deleted axon's events, in the background and in bounded chunks; resumed after a restart when it
     * was interrupted.
     */
    void purge(LiveAxon axon);

    /**
     * A history page.
     *
     * @param events at most {@code limit} events, and no more once {@code maxBytes} of encoded events were read (at
     *               least one if any exists)
     * @param more   whether older events exist beyond the page
     * @param bytes  the page's JSON-encoded size
     */
    record HistorySlice(List<Event> events, boolean more, long bytes) {}
}
