package io.myelin.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One write handed to the {@link GroupCommitWriter}. All methods run on the writer thread, in this order:
 * {@link #apply} inside the group's transaction, then exactly one of {@link #committed} or {@link #failed}.
 *
 * <p>Contract for {@code apply}: validate first, write second. An op may reject itself by throwing
 * {@link io.myelin.error.MyelinException} before it has written anything; the rest of the group goes on. Any
 * {@link SQLException} fails the whole group: the transaction is rolled back and every op in it fails, so writer
 * state that an op changed tentatively must be undone in {@link #failed}.
 */
public interface WriteOp {

    /** How much this op counts towards the group size cap (events for an append, 1 otherwise). */
    default int weight() {
        return 1;
    }

    void apply(Connection connection, WriteGroup group) throws SQLException;

    /** The group's transaction is durable. Publish in-memory effects and answer the caller. */
    void committed();

    /** The op was rejected or its group rolled back; nothing it wrote exists. Answer the caller. */
    void failed(RuntimeException cause);
}
