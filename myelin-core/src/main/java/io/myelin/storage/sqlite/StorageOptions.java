package io.myelin.storage.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * How the server-owned database is opened.
 *
 * @param dataDir         the data directory; the database is {@code <dataDir>/myelin.db}
 * @param readThreads     platform threads (each with one read-only connection) serving reads
 * @param readQueue       reads that may wait for a read thread; one more is refused with 503
 * @param readTimeout     longest a caller waits for a read's answer, then 503
 * @param writeQueue      ops that may wait for the writer; a submitter then waits up to {@code writeTimeout}
 * @param writeTimeout    longest a submitter waits for a place in the write queue, and then for its answer (503
 *                        "outcome unknown, retry with the same Idempotency-Key")
 * @param maxGroupWeight  upper bound on events committed in one transaction
 * @param clock           the time every stored timestamp is read from (tests inject their own)
 */
public record StorageOptions(Path dataDir, int readThreads, int readQueue, Duration readTimeout, int writeQueue,
                             Duration writeTimeout, int maxGroupWeight, InstantSource clock) {
    public static StorageOptions defaults(Path dataDir) {
        return new StorageOptions(dataDir, 4, 1024, Duration.ofSeconds(30), 16_384, Duration.ofSeconds(30), 4_096,
                InstantSource.system());
    }
}
