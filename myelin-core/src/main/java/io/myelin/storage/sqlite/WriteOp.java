package io.myelin.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One write handed to the {@link GroupCommitWriter}. {@link #apply} runs on the writer thread inside the group's
 * transaction, in its own savepoint; then exactly one of {@link #committed} or {@link #failed} is called, on the
 * writer thread — or {@link #failed} on the submitting thread when the op is refused before it is queued.
 *
 * <p>Contract for {@code apply}: whatever it throws (a {@link io.myelin.error.MyelinException} refusal, an
 * {@link SQLException}) fails this op only: its savepoint is rolled back, the undo actions it registered on the
 * {@link WriteGroup} run, and the rest of the group goes on. In-memory changes must therefore be registered with
 * {@link WriteGroup#onRollback} (or {@link WriteGroup#remember}) as they are made. A failed COMMIT fails every op
 * of the group the same way.
 */
public interface WriteOp {

    /** How much this op counts towards the group size cap (events for an append, 1 otherwise). */
    default int weight() {
        return 1;
    }

    void apply(Connection connection, WriteGroup group) throws SQLException;

    /** The group's transaction is durable. Publish in-memory effects and answer the caller. */
    void committed();

    /** The op was refused or rolled back; nothing it wrote exists. Answer the caller. */
    void failed(RuntimeException cause);
}
