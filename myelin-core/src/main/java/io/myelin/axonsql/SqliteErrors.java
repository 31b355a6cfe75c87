package io.myelin.axonsql;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.FreeSpace;
import io.myelin.storage.StorageErrors;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Maps SQLite failures to caller-facing errors that carry SQLite's own message.
 *
 * <p>sqlite-jdbc formats messages as {@code "[SQLITE_ERROR] SQL error or missing database (no such table: x)"};
 * the part in the final parentheses is {@code sqlite3_errmsg()}, which is what callers should see. Kinds:
 * statement problems (syntax, constraints, missing objects, type mismatch) are 400; a timeout is 400
 * {@code statement timed out}; the size limits are 413, the axon's database at {@code sql.max-database-bytes}
 * included; a full disk is 507; storage trouble (I/O, corruption, out of memory, lock contention) is 5xx, because
 * the caller did nothing wrong and the connection may be unusable (except out of memory in the caller's own
 * statement, which {@link StatementRunner} reports as its size: 400). A statement refused by one of the limits that
 * bound SQLite's recursion ({@link NativeStack}) is 400 with a message that names the limit, its value and its
 * setting.
 */
final class SqliteErrors {
    private SqliteErrors() {}

    /**
     * @param dbFile the axon's database file: a full disk is told apart from the axon's own size cap by the usable
     *               space of the filesystem that holds it ({@link FreeSpace})
     */
    static MyelinException translate(SQLException e, boolean timedOut, SqlLimits limits, String field, Path dbFile) {
        SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
        int primary = code == null ? -1 : code.code & 0xff;
        String msg = sqliteMessage(e);
        if (timedOut || primary == SQLiteErrorCode.SQLITE_INTERRUPT.code) {
            return MyelinException.invalid(null, "statement timed out: it ran longer than "
                    + limits.statementTimeout().toMillis() + " ms (sql.statement-timeout); its changes were rolled back");
        }
        // SQLITE_FULL is both "max_page_count reached" and "the filesystem refused a write"; an I/O error (fsync,
        // growing -shm or -wal) can be the latter too. Only the filesystem knows which.
        if ((primary == SQLiteErrorCode.SQLITE_FULL.code || primary == SQLiteErrorCode.SQLITE_IOERR.code)
                && FreeSpace.isFull(dbFile)) {
            return StorageErrors.diskFull("the axon's database could not be written (" + msg
                    + "); nothing of this request was stored", e);
        }
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
            return new MyelinException(ErrorKind.PAYLOAD_TOO_LARGE, null, msg + ": the axon's database is limited to "
                    + limits.maxDatabaseBytes() + " bytes (sql.max-database-bytes)", e);
        }
        if (primary == SQLiteErrorCode.SQLITE_TOOBIG.code) {
            // SQL text is measured against sql.max-sql-bytes before SQLite sees it: at run time only a value or a
            // row the statement builds can be too big.
            return new MyelinException(ErrorKind.PAYLOAD_TOO_LARGE, field, msg + ": the statement built a value or row"
                    + " over " + limits.maxValueBytes() + " bytes (sql.max-value-bytes)", e);
        }
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code
                || primary == SQLiteErrorCode.SQLITE_NOMEM.code) {
            return new MyelinException(ErrorKind.UNAVAILABLE, null, msg, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return new MyelinException(ErrorKind.UNAVAILABLE, null, "cannot open the axon's SQL database (" + msg
                    + "); the server may be out of file descriptors: raise `ulimit -n` or lower sql.max-open-databases", e);
        }
        if (isStorageFailure(primary) || code == null) {
            return new MyelinException(ErrorKind.INTERNAL, null, "SQLite storage failure: " + msg, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_AUTH.code) {
            return new MyelinException(ErrorKind.FORBIDDEN, field, msg, e);
        }
        return new MyelinException(ErrorKind.INVALID_REQUEST, field, explainLimit(msg, limits), e);
    }

    /**
     * SQLite's message for a statement that one of the complexity limits refused, followed by the limit and the
     * setting that sets it; any other message unchanged. These messages are SQLite's stable wording.
     */
    static String explainLimit(String msg, SqlLimits limits) {
        if (msg.startsWith("LIKE or GLOB pattern too complex")) {
            return msg + ": a LIKE or GLOB pattern may hold at most " + limits.maxLikePatternBytes()
                    + " bytes (sql.max-like-pattern-bytes = " + limits.maxLikePatternBytes() + ")";
        }
        if (msg.startsWith("Expression tree is too large")) {
            return msg + ": expressions nest at most " + limits.maxExpressionDepth()
                    + " deep (sql.max-expression-depth = " + limits.maxExpressionDepth() + ")";
        }
        if (msg.startsWith("VIEWs and/or subqueries nested too deep")) {
            return msg + ": views, CTEs and subqueries nest at most " + limits.maxExpressionDepth()
                    + " deep (sql.max-expression-depth = " + limits.maxExpressionDepth() + ")";
        }
        if (msg.startsWith("too many terms in compound SELECT")) {
            return msg + ": a compound SELECT has at most " + limits.maxCompoundSelect()
                    + " terms (sql.max-compound-select = " + limits.maxCompoundSelect() + ")";
        }
        if (msg.startsWith("triggers nested too deep") || msg.startsWith("too many levels of trigger recursion")) {
            return msg + ": triggers and foreign key actions fire one another at most " + limits.maxTriggerDepth()
                    + " deep (sql.max-trigger-depth = " + limits.maxTriggerDepth() + ")";
        }
        if (msg.startsWith("too many columns") || msg.startsWith("too many terms in ")) {
            return msg + ": tables, indexes, results and ORDER BY/GROUP BY clauses hold at most "
                    + AxonConnection.MAX_COLUMNS + " columns or terms";
        }
        if (msg.startsWith("too many arguments on")) {
            return msg + ": a function takes at most " + AxonConnection.MAX_FUNCTION_ARGS + " arguments";
        }
        if (msg.equals("Recursion limit")) {
            return "Recursion limit: the statement nests parentheses, subqueries or CASE expressions deeper than"
                    + " SQLite's parser accepts (a fixed limit of a few hundred levels)";
        }
        return msg;
    }

    static boolean isOutOfMemory(SQLException e) {
        return e instanceof SQLiteException se && se.getResultCode() != null
                && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_NOMEM.code;
    }

    /** True for {@code SQLITE_READONLY} (any extended code). */
    static boolean isReadOnly(SQLException e) {
        return e instanceof SQLiteException se && se.getResultCode() != null
                && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_READONLY.code;
    }

    /** True when the connection should be closed rather than reused. */
    static boolean isStorageFailure(int primary) {
        return primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_CORRUPT.code
                || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code
                || primary == SQLiteErrorCode.SQLITE_PROTOCOL.code || primary == SQLiteErrorCode.SQLITE_MISUSE.code
                || primary == SQLiteErrorCode.SQLITE_INTERNAL.code || primary == SQLiteErrorCode.SQLITE_PERM.code
                || primary == SQLiteErrorCode.SQLITE_READONLY.code;
    }

    /** {@code sqlite3_errmsg()} out of a sqlite-jdbc exception message. */
    static String sqliteMessage(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            SQLiteErrorCode code = se.getResultCode();
            String prefix = "[" + code.name() + "] " + code.message + " (";
            if (m.startsWith(prefix) && m.endsWith(")")) {
                return m.substring(prefix.length(), m.length() - 1);
            }
        }
        return m;
    }
}
