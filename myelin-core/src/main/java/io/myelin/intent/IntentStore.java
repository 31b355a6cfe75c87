package io.myelin.intent;

import io.myelin.auth.AxonVisibility;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import java.util.List;

/**
 * Port: where intents are kept. Every change is stored in the same transaction as its {@code intent.*} event on the
 * intent's axon (appended after the axon's events so far, like any publish), so the stream and the state never
 * disagree: a crash keeps both or neither.
 *
 * <p>Timers are rows, not memory: an intent's next due time ({@link Intent#dueAtMs}) is stored and indexed, and
 * {@link #due} reads the earliest ones, so any number of waiting intents costs no thread and no heap until it falls
 * due. On many nodes, any node may fire a timer: {@link #change} runs its function on the row as it is inside the
 * write, so the second node to fire finds nothing due.
 *
 * <p>Threading: every method may be called from any thread and blocks until its read or write is done (a write until
 * it is durable, at most {@code storage.write-timeout}).
 */
public interface IntentStore {

    /**
     * Stores a new waiting intent and its {@code intent.created} event. With a {@link RequestKey} already used on the
     * same axon, stores nothing and returns the original intent as it is now.
     *
     * @throws io.myelin.error.MyelinException 404 when the axon was deleted; 422 when the key was used for another
     *                                         request; 503/507 when storage fails
     */
    Intent create(LiveAxon axon, Intent intent, RequestKey key);

    /** The intent with {@code id}, or null when there is none or its axon was deleted. */
    Intent find(String id);

    /**
     * Queues a change of the intent {@code id} of {@code axon}: inside the write, runs {@code change} on its current
     * row and, when it returns a {@link Step}, stores the step's intent and appends its event. Changes queued one
     * after another commit in that order (see {@link QueuedWrite}).
     *
     * <p>{@link QueuedWrite#await} returns the intent after the change, or as it is when {@code change} returned null
     * (nothing to do). It throws 404 when the intent is gone (its axon deleted), and whatever {@code change} threw
     * (409 not waiting), with nothing written. With a {@link RequestKey} already used on the axon for the same
     * request, it changes nothing and returns what the first attempt returned.
     */
    QueuedWrite<Intent> change(LiveAxon axon, String id, Change change, RequestKey key);

    /**
     * The waiting intents whose next timer falls due at or before {@code untilMs}, earliest first, at most
     * {@code limit}; on axons that exist.
     */
    List<Due> due(long untilMs, int limit);

    /**
     * One page of {@code filter}'s matches among the axons {@code visible}, in creation order.
     *
     * @throws io.myelin.error.MyelinException 400 {@code starting_after} naming an unknown intent
     */
    IntentPage list(IntentFilter filter, AxonVisibility visible, long maxPageBytes, MemoryBudget.Lease memory);

    /** A change decided on the current row, inside the write; may throw to refuse (nothing is written). */
    @FunctionalInterface
    interface Change {
        /** @return the step to store, or null when there is nothing to do */
        Step apply(Intent current, long nowMs);
    }

    /** A timer falling due: the intent, its axon and when. */
    record Due(String intentId, String axonId, long dueAtMs) {}
}
