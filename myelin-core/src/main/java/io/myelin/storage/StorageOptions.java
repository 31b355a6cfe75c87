package io.myelin.storage;

import java.nio.file.Path;

/**
 * How the server-owned database is opened.
 *
 * @param dataDir         the data directory; the database is {@code <dataDir>/myelin.db}
 * @param readThreads     platform threads (each with one read-only connection) serving reads
 * @param writeQueue      ops that may wait for the writer before submitters block
 * @param maxGroupWeight  upper bound on events committed in one transaction
 * @param maxGroupWaitMicros longest the writer waits for sibling writes before committing a group (0: never)
 */
public record StorageOptions(Path dataDir, int readThreads, int writeQueue, int maxGroupWeight, int maxGroupWaitMicros) {
    public static StorageOptions defaults(Path dataDir) {
        return new StorageOptions(dataDir, 4, 16_384, 4_096, 500);
    }
}
