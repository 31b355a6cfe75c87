package io.myelin.axon;

import io.myelin.auth.AxonVisibility;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.idempotency.RequestKey;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Port: where axons are kept. The engine ({@link Axons}) validates, keeps the in-memory {@link AxonIndex} and calls
 * this; an adapter (SQLite today, PostgreSQL for many nodes) stores.
 *
 * <p>Writes are durable when they return, and apply at most once per {@link RequestKey}: the key is stored in the
 * same transaction as the change, and a repeat of the same request returns the stored answer and changes nothing
 * (422 for a different request under the same key). The {@code onCommit} callbacks run after the change is durable
 * and before the call returns, in commit order with every other write — never for a repeat, which changed nothing.
 * They must be quick and must not block.
 *
 * <p>Threading: thread-safe; calls block the caller (a virtual thread) until durable or failed. Errors are
 * {@link io.myelin.error.MyelinException}s: 404 for an axon that is gone, 422 for a reused key, 503/507 for storage
 * that cannot write (with whether the write may have happened).
 */
public interface AxonStore {

    /** Every live axon with its committed head, to build the index at start. */
    List<LiveAxon> loadLive();

    /**
     * Stores a new axon with the given id; on commit, {@code created} receives its index entry.
     *
     * @return the axon as created (on a repeat: as the original created it)
     */
    Axon create(String id, String name, Map<String, String> metadata, RequestKey key, Consumer<LiveAxon> created);

    /** Replaces the axon's metadata; returns the axon as it is after the change. */
    Axon updateMetadata(LiveAxon axon, Map<String, String> metadata, RequestKey key, Runnable changed);

    /**
     * Deletes the axon (a tombstone keeps list cursors valid); returns the axon as it was. {@code axon} is null
     * when the index no longer has it: then only a repeat of an earlier, successful delete under {@code key} is
     * answered (its stored answer), anything else is 404.
     */
    Axon delete(String id, LiveAxon axon, RequestKey key, Runnable deleted);

    /** The axon as stored, or null when it was deleted meanwhile. */
    Axon get(LiveAxon axon);

    /**
     * One page of live axons in creation order, of those in {@code visible} only.
     *
     * @param visible      the axons the caller may see; the filter and {@code total_count} apply within them
     * @param liveCount    axons alive now (the unfiltered total, which needs no count)
     * @param maxPageBytes the page's JSON-encoded size at most (at least one axon, if any matches)
     * @param memory       grows by the page's encoded size (503 when the server's answer budget is spent)
     */
    AxonPage list(AxonFilter filter, AxonVisibility visible, long liveCount, long maxPageBytes,
                  MemoryBudget.Lease memory);
}
