package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import java.util.List;

/**
 * Port: how committed events reach this node's subscribers. The adapter calls the listener once per committed
 * append, in commit order per axon, after the events are durable and before any later append of the same axon is
 * reported. With one node that is the writer thread right after the commit; with many nodes it is each node's
 * listener on the database's change notifications, which also carries appends made by other nodes.
 *
 * <p>The listener must be quick and must not block (it hands events to the fan-out thread).
 */
public interface CommitFeed {

    /** Sets the one listener; call before the first append. */
    void listen(Listener listener);

    /** Receives every committed append. */
    @FunctionalInterface
    interface Listener {
        void committed(LiveAxon axon, List<Event> events);
    }
}
