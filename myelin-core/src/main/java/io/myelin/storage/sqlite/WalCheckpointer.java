package io.myelin.storage.sqlite;

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
 * interval instead: it never blocks the writer or readers, and copies whatever the readers allow.
 *
 * <p><b>Hazard: checkpoint starvation.</b> Under sustained writes a PASSIVE checkpoint never catches up with the
 * writer, and SQLite only rewinds the WAL to its start after a checkpoint that copied every frame. A RESTART
 * checkpoint from this thread would starve too: it needs the write lock, and the writer takes it back within
 * microseconds of each commit while SQLite's busy handler sleeps for milliseconds. So the writer itself runs the
 * RESTART between two groups once the WAL file passes its bound ({@link GroupCommitWriter}); the PASSIVE runs here
 * only make that cheaper, by copying most pages beforehand. The two share a lock: SQLite refuses a second concurrent
 * checkpoint with BUSY at once, so without it the writer's RESTART failed whenever a PASSIVE was copying.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final long intervalMillis;
    private final java.util.concurrent.locks.Lock checkpointLock; // shared with the writer's RESTART
    private String lastFailure; // checkpoint thread only
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("myelin-checkpoint").daemon(true).unstarted(r));

    WalCheckpointer(Connection connection, long intervalMillis, java.util.concurrent.locks.Lock checkpointLock) {
        this.connection = connection;
        this.checkpointLock = checkpointLock;
        this.intervalMillis = intervalMillis;
        thread.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        checkpointLock.lock();
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            lastFailure = null;
        } catch (SQLException e) {
            // Every 100 ms while the disk is full: say it once, not ten times a second.
            if (!java.util.Objects.equals(e.getMessage(), lastFailure)) {
                log.warn("WAL checkpoint failed (will retry every {} ms; logged again when the error changes): {}",
                        intervalMillis, e.getMessage());
                lastFailure = e.getMessage();
            }
        } catch (RuntimeException e) {
            log.warn("WAL checkpoint failed (will retry)", e); // a scheduled task that throws is never run again
        } finally {
            checkpointLock.unlock();
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
