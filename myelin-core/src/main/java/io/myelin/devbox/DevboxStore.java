package io.myelin.devbox;

import io.myelin.auth.AxonVisibility;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import java.util.List;
import java.util.function.Consumer;

/**
 * Port: where devboxes are kept. The engine ({@link Devboxes}) validates, supervises the processes and calls this;
 * an adapter (SQLite today) stores. A devbox's record is what survives a restart: its spec, status and history.
 *
 * <p>Writes are durable when they return. {@link #create} applies at most once per {@link RequestKey} (stored in the
 * same transaction; a repeat returns the stored devbox and runs {@code created} no second time; 422 for a different
 * request under the same key). Timestamps come from the adapter's clock (the engine's {@code InstantSource}).
 *
 * <p>Threading: thread-safe; calls block the caller until durable or failed. Errors are
 * {@link io.myelin.error.MyelinException}s: 422 for a reused key, 503/507 for storage that cannot write.
 */
public interface DevboxStore {

    /** Every devbox not shut down, oldest first, to supervise again at start. */
    List<Devbox> loadUnfinished();

    /**
     * Stores a new devbox in {@link DevboxStatus#PROVISIONING}; on commit (not on a repeat), {@code created}
     * receives it, before this returns.
     *
     * @return the devbox as created (on a repeat: as the original created it)
     */
    Devbox create(String id, DevboxSpec spec, RequestKey key, Consumer<Devbox> created);

    /**
     * Moves the devbox to {@code to}, appends the move to its history (keeping the most recent
     * {@link Devbox#MAX_TRANSITIONS}) and, for {@link DevboxStatus#SHUTDOWN}, sets its end time.
     *
     * @param shutdownReason set with a move to {@code SHUTDOWN}, else null
     * @param failureReason  set with a move to {@code FAILURE}, else null
     * @return the devbox after the move
     */
    Devbox transition(String id, DevboxStatus to, String shutdownReason, String failureReason);

    /**
     * Moves the devbox through every status of {@code path} in order, in one write (each move in its history, all
     * with the same time), and returns once the write is queued: it commits after every write queued before and
     * before every write queued after (see {@link QueuedWrite}). For moves with nothing to do between them.
     *
     * @param path at least one status; no shutdown or failure reasons are set
     */
    QueuedWrite<Devbox> transitionQueued(String id, List<DevboxStatus> path);

    /** The devbox, or null when no devbox has this id. */
    Devbox get(String id);

    /**
     * One page of devboxes in creation order, of those a caller may see.
     *
     * @param visible      the axons whose devboxes the caller may see: all devboxes, or only those with at least one
     *                     mount whose every mount is on one of {@code visible.ids()}
     * @param maxPageBytes the page's JSON-encoded size at most (at least one devbox, if any matches)
     * @param memory       grows by the page's encoded size (503 when the server's answer budget is spent)
     * @throws io.myelin.error.MyelinException 400 naming {@code starting_after} for an unknown cursor
     */
    DevboxPage list(DevboxFilter filter, AxonVisibility visible, long maxPageBytes, MemoryBudget.Lease memory);
}
