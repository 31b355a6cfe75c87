package io.myelin.broker;

import io.myelin.axon.LiveAxon;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;

/**
 * Port: where each axon's {@link BrokerState} is kept, next to the axon itself (the SQLite adapter: table
 * {@code broker_state} in {@code myelin.db}; removed with the axon's events when the axon is deleted).
 *
 * <p>Threading: thread-safe; calls block until durable. Errors are {@link io.myelin.error.MyelinException}s.
 */
public interface BrokerStateStore {
    /** The axon's state, or {@link BrokerState#INITIAL} when no broker has saved one. */
    BrokerState load(LiveAxon axon);

    /**
     * Stores {@code next} if the axon's stored version is still {@code next.version()}; returns what was stored
     * (version one higher). With a key, a repeat of the same request returns the first answer and writes nothing.
     *
     * @throws io.myelin.error.MyelinException 409 naming {@code version} when another save came first; 404 when the
     *                                         axon was deleted; 422 for a key used for a different request
     */
    BrokerState save(LiveAxon axon, BrokerState next, RequestKey key);

    /**
     * Like {@link #save}, but returns once the save is queued: it commits after every write queued before and
     * before every write queued after (see {@link QueuedWrite}); its errors come from {@link QueuedWrite#await}.
     */
    QueuedWrite<BrokerState> saveQueued(LiveAxon axon, BrokerState next, RequestKey key);
}
