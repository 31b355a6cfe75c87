package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.stream.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What must be delivered elsewhere about events appended to an axon, recorded in the same group transaction as the
 * events themselves (the transactional outbox): the events and their deliveries commit or roll back together, so
 * there is never a delivery of an event that does not exist, nor an event whose deliveries were lost.
 *
 * <p>Threading: both methods run on the writer thread; {@link #appended} inside the op's savepoint (what it writes is
 * rolled back with the op), {@link #committed} after the group is durable. Neither may block.
 */
interface Outbox {
    /** Records nothing: for adapters and tests without deliveries. */
    Outbox NONE = new Outbox() {
        @Override
        public void appended(Connection c, WriteGroup group, LiveAxon axon, List<Event> events) {}

        @Override
        public void committed() {}
    };

    /** Records the deliveries owed for {@code events}, just inserted for {@code axon} in this transaction. */
    void appended(Connection c, WriteGroup group, LiveAxon axon, List<Event> events) throws SQLException;

    /** A group that called {@link #appended} is durable: whoever delivers may look for new work. */
    void committed();
}
