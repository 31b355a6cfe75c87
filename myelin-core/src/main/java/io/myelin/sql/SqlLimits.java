package io.myelin.sql;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound Axon SQL enforces, with the defaults documented in the README. All are per axon or per request
 * except {@code maxOpenDatabases}, {@code threads} and {@code maxPendingTasks}, which size the shared engine.
 *
 * @param statementTimeout   wall-clock budget of one statement (a batch gives each statement its own budget)
 * @param maxSqlBytes        UTF-8 size of one statement's SQL text
 * @param maxParams          parameters bound to one statement (also SQLite's variable-number limit)
 * @param maxBatchStatements statements in one batch
 * @param maxValueBytes      size of one TEXT or BLOB value and of one row, stored or returned
 * @param maxDatabaseBytes   size of one axon's database file ({@code PRAGMA max_page_count})
 * @param maxRows            rows returned by one statement before {@code rows_read_limit_reached}
 * @param maxResultBytes     approximate bytes of values returned by one statement before truncation
 * @param maxOpenDatabases   per-axon databases kept open at once (least recently used are closed first)
 * @param threads            platform threads running SQLite work
 * @param maxPendingTasks    requests queued or running across all axons before new ones get 429
 * @param maxLikePatternBytes UTF-8 size of one LIKE or GLOB pattern ({@code SQLITE_LIMIT_LIKE_PATTERN_LENGTH})
 * @param maxExpressionDepth depth of one expression tree, and of views, CTEs and subqueries nested in one
 *                           another ({@code SQLITE_LIMIT_EXPR_DEPTH}, which SQLite applies to both)
 * @param maxCompoundSelect  terms of one compound SELECT ({@code SQLITE_LIMIT_COMPOUND_SELECT})
 * @param maxTriggerDepth    triggers (and foreign key actions) firing one another ({@code SQLITE_LIMIT_TRIGGER_DEPTH})
 * @param threadStackBytes   native stack of each SQL thread, in bytes; at least {@link #requiredStackBytes()}
 *
 * <p>The four depth limits bound how deep SQLite recurses on the native stack of an SQL thread, and
 * {@code threadStackBytes} must hold the deepest statement they admit: {@link NativeStack} has the measurements.
 */
public record SqlLimits(
        Duration statementTimeout,
        int maxSqlBytes,
        int maxParams,
        int maxBatchStatements,
        int maxValueBytes,
        long maxDatabaseBytes,
        int maxRows,
        long maxResultBytes,
        int maxOpenDatabases,
        int threads,
        int maxPendingTasks,
        int maxLikePatternBytes,
        int maxExpressionDepth,
        int maxCompoundSelect,
        int maxTriggerDepth,
        long threadStackBytes) {

    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_SQL_BYTES = 100 * 1024;
    public static final int DEFAULT_MAX_PARAMS = 100;
    public static final int DEFAULT_MAX_BATCH_STATEMENTS = 100;
    public static final int DEFAULT_MAX_VALUE_BYTES = 2 * 1024 * 1024;
    public static final long DEFAULT_MAX_DATABASE_BYTES = 1024L * 1024 * 1024;
    public static final int DEFAULT_MAX_ROWS = 1000;
    public static final long DEFAULT_MAX_RESULT_BYTES = 32L * 1024 * 1024;
    public static final int DEFAULT_MAX_OPEN_DATABASES = 1000;
    public static final int DEFAULT_MAX_PENDING_TASKS = 10_000;
    public static final int DEFAULT_MAX_LIKE_PATTERN_BYTES = 1000;
    public static final int DEFAULT_MAX_EXPRESSION_DEPTH = 1000;
    public static final int DEFAULT_MAX_COMPOUND_SELECT = 500;
    public static final int DEFAULT_MAX_TRIGGER_DEPTH = 1000;
    public static final long DEFAULT_THREAD_STACK_BYTES = 64L * 1024 * 1024;

    /**
     * SQLite's compiled-in ceilings in sqlite-jdbc's build: {@code sqlite3_limit} silently caps a higher value,
     * so a setting above them would promise a limit that is not applied.
     */
    public static final int SQLITE_MAX_LIKE_PATTERN_BYTES = 50_000;
    public static final int SQLITE_MAX_EXPRESSION_DEPTH = 1000;
    public static final int SQLITE_MAX_COMPOUND_SELECT = 500;
    public static final int SQLITE_MAX_TRIGGER_DEPTH = 1000;

    public SqlLimits {
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statementTimeout must be positive: " + statementTimeout);
        }
        positive("maxSqlBytes", maxSqlBytes);
        positive("maxParams", maxParams);
        positive("maxBatchStatements", maxBatchStatements);
        positive("maxValueBytes", maxValueBytes);
        positive("maxRows", maxRows);
        positive("maxOpenDatabases", maxOpenDatabases);
        positive("threads", threads);
        positive("maxPendingTasks", maxPendingTasks);
        if (maxDatabaseBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxDatabaseBytes must be at least 65536: " + maxDatabaseBytes);
        }
        if (maxResultBytes < maxValueBytes) {
            // One maximal row must always fit, or a legal row could never be returned.
            throw new IllegalArgumentException(
                    "maxResultBytes (" + maxResultBytes + ") must be >= maxValueBytes (" + maxValueBytes + ")");
        }
        if (maxParams > 32766) {
            throw new IllegalArgumentException("maxParams must be <= 32766: " + maxParams);
        }
        withinSqlite("maxLikePatternBytes (sql.max-like-pattern-bytes)", maxLikePatternBytes,
                SQLITE_MAX_LIKE_PATTERN_BYTES);
        withinSqlite("maxExpressionDepth (sql.max-expression-depth)", maxExpressionDepth, SQLITE_MAX_EXPRESSION_DEPTH);
        withinSqlite("maxCompoundSelect (sql.max-compound-select)", maxCompoundSelect, SQLITE_MAX_COMPOUND_SELECT);
        withinSqlite("maxTriggerDepth (sql.max-trigger-depth)", maxTriggerDepth, SQLITE_MAX_TRIGGER_DEPTH);
        long required = NativeStack.requiredBytes(maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect,
                maxTriggerDepth);
        if (threadStackBytes < required) {
            throw new IllegalArgumentException("threadStackBytes (sql.thread-stack-size) is " + threadStackBytes
                    + " bytes, but SQLite may recurse through " + required + " bytes of native stack at these limits"
                    + " (sql.max-like-pattern-bytes " + maxLikePatternBytes + ", sql.max-expression-depth "
                    + maxExpressionDepth + ", sql.max-compound-select " + maxCompoundSelect + ", sql.max-trigger-depth "
                    + maxTriggerDepth + "): raise the stack or lower the limits");
        }
    }

    private static void withinSqlite(String name, int value, int ceiling) {
        if (value <= 0 || value > ceiling) {
            throw new IllegalArgumentException(name + " must be between 1 and " + ceiling + ", SQLite's own maximum: "
                    + value);
        }
    }

    /** The native stack, in bytes, that the deepest statement these limits admit can use ({@link NativeStack}). */
    public long requiredStackBytes() {
        return NativeStack.requiredBytes(maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public static SqlLimits defaults() {
        return new SqlLimits(DEFAULT_STATEMENT_TIMEOUT, DEFAULT_MAX_SQL_BYTES, DEFAULT_MAX_PARAMS,
                DEFAULT_MAX_BATCH_STATEMENTS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_DATABASE_BYTES, DEFAULT_MAX_ROWS,
                DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_OPEN_DATABASES,
                Math.max(2, Runtime.getRuntime().availableProcessors()), DEFAULT_MAX_PENDING_TASKS,
                DEFAULT_MAX_LIKE_PATTERN_BYTES, DEFAULT_MAX_EXPRESSION_DEPTH, DEFAULT_MAX_COMPOUND_SELECT,
                DEFAULT_MAX_TRIGGER_DEPTH, DEFAULT_THREAD_STACK_BYTES);
    }

    public SqlLimits withStatementTimeout(Duration v) {
        return new SqlLimits(v, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxSqlBytes(int v) {
        return new SqlLimits(statementTimeout, v, maxParams, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxParams(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, v, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxBatchStatements(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, v, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxValueBytes(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, v, maxDatabaseBytes,
                maxRows, Math.max(maxResultBytes, v), maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxDatabaseBytes(long v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes, v,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxRows(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, v, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxResultBytes(long v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, v, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxOpenDatabases(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, v, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withThreads(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, v, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxPendingTasks(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, v,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxLikePatternBytes(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                v, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxExpressionDepth(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, v, maxCompoundSelect, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxCompoundSelect(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, v, maxTriggerDepth, threadStackBytes);
    }

    public SqlLimits withMaxTriggerDepth(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, v, threadStackBytes);
    }

    public SqlLimits withThreadStackBytes(long v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect, maxTriggerDepth, v);
    }
}
