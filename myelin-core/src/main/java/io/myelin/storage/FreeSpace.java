package io.myelin.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Usable space on the filesystem that holds a path: the fact that tells "the disk is full" apart from the other
 * reasons a write can fail (SQLite reports both an axon database at its {@code max_page_count} and a filesystem
 * that refused a write with ENOSPC as {@code SQLITE_FULL}).
 *
 * <p>"Usable" is what this user may still write ({@code statvfs f_bavail}); blocks reserved for root are not
 * counted. Thread-safe, no state; each call is one {@code statvfs}.
 */
public final class FreeSpace {
    /**
     * Below this many usable bytes a filesystem counts as full. SQLite writes at most one page plus a WAL frame
     * header at a time, so a write refused for lack of space leaves far less than this behind, while a database
     * that stopped at its own size cap on a healthy disk leaves far more.
     */
    public static final long FULL_BELOW_BYTES = 1L << 20;

    private FreeSpace() {}

    /** Usable bytes on the filesystem holding {@code path} (or its nearest existing parent); -1 when unknown. */
    public static long usableBytes(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return -1;
        }
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** True when the filesystem holding {@code path} is known to have less than {@link #FULL_BELOW_BYTES} usable. */
    public static boolean isFull(Path path) {
        long usable = usableBytes(path);
        return usable >= 0 && usable < FULL_BELOW_BYTES;
    }
}
