package io.myelin.storage.sqlite;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link StorageHealth} probe's test write: rewrites {@code myelin.db}'s {@code user_version} header field with
 * its own value. That dirties page 1, so the commit appends one page to the WAL and fsyncs it, a real write, while
 * changing nothing (Myelin's schema version lives in Flyway's table; {@code user_version} is unused).
 */
final class ProbeWrite implements WriteOp {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Queues a probe write without blocking; the future fails at once when the writer's queue is full. */
    static CompletableFuture<Void> submit(GroupCommitWriter writer) {
        ProbeWrite p = new ProbeWrite();
        if (!writer.offer(p)) {
            p.failed(new MyelinException(ErrorKind.UNAVAILABLE, null, "the write queue is full or closed"));
        }
        return p.done;
    }

    @Override
    public void apply(Connection c, WriteGroup g) throws SQLException {
        try (Statement st = c.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            st.execute("PRAGMA user_version=" + version);
        }
    }

    @Override
    public void committed() {
        done.complete(null);
    }

    @Override
    public void failed(RuntimeException cause) {
        done.completeExceptionally(cause);
    }
}
