package io.myelin.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log back into the database file on its own thread and connection.
 *
 * <p>Why: with SQLite's default auto-checkpoint, the commit that crosses 1,000 WAL pages runs the checkpoint
 * itself — on the writer thread, with every publisher of that group waiting behind an extra fsync of the main
 * file. The writer's connection turns auto-checkpoint off, and this class runs a PASSIVE checkpoint every
 * interval instead: it never blocks the writer or readers, and does whatever part of the work readers allow.
 * {@code journal_size_limit} truncates the WAL file back to a bounded size when it is reset.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("myelin-checkpoint").daemon(true).unstarted(r));

    WalCheckpointer(Connection connection, long intervalMillis) {
        this.connection = connection;
        thread.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            log.warn("WAL checkpoint failed (will retry): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("final WAL checkpoint failed: {}", e.getMessage());
        }
    }
}
