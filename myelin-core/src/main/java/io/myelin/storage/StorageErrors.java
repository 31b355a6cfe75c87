package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.file.Path;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What a SQLite failure says about the node's storage, shared by the server-owned database and Axon SQL.
 *
 * <p>Storage-class failures are those of the disk, not of a statement: {@code SQLITE_FULL}, every
 * {@code SQLITE_IOERR_*} (write, fsync, shm size, truncate, ...), {@code SQLITE_READONLY} and {@code SQLITE_PERM}.
 * They make the node not ready ({@link StorageHealth}). A full disk is told apart by the filesystem's usable space
 * at the moment of the failure ({@link FreeSpace}), whatever the SQLite code that reported it.
 */
public final class StorageErrors {
    private StorageErrors() {}

    /** SQLite's primary result code carried by {@code e} or one of its causes, or -1 when none is SQLite's. */
    public static int primaryCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException se && se.getResultCode() != null) {
                return se.getResultCode().code & 0xff;
            }
        }
        return -1;
    }

    /** True for a failure of the storage itself: full, I/O error, read-only or permission denied. */
    public static boolean isStorageClass(int primary) {
        return primary == SQLiteErrorCode.SQLITE_FULL.code || primary == SQLiteErrorCode.SQLITE_IOERR.code
                || primary == SQLiteErrorCode.SQLITE_READONLY.code || primary == SQLiteErrorCode.SQLITE_PERM.code;
    }

    /**
     * 507 {@code insufficient_storage}. {@code what} says what could not be written, in the caller's terms; it
     * never names a path (clients are not told where the server keeps its files).
     */
    public static MyelinException diskFull(String what, Throwable cause) {
        return new MyelinException(ErrorKind.INSUFFICIENT_STORAGE, null,
                "the server's disk is full: " + what + "; retry once space is freed", cause);
    }

    /**
     * The caller-facing failure of a group transaction on {@code myelin.db} that did not commit. The server-owned
     * database has no page cap, so {@code SQLITE_FULL} always means the filesystem: 507; so does an I/O error while
     * the filesystem is full (an fsync or a shm/WAL extension that ran out of space). Anything else is 503.
     */
    public static MyelinException groupFailure(Throwable e, int ops, Path dataDir) {
        int primary = primaryCode(e);
        String nothing = "nothing in this group of " + ops + " write" + (ops == 1 ? "" : "s") + " was stored";
        if (primary == SQLiteErrorCode.SQLITE_FULL.code
                || (primary == SQLiteErrorCode.SQLITE_IOERR.code && FreeSpace.isFull(dataDir))) {
            return diskFull(nothing, e);
        }
        return new MyelinException(ErrorKind.UNAVAILABLE, null, "storage write failed; " + nothing + ": "
                + e.getMessage(), e);
    }
}
