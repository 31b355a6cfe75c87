package io.myelin.axonsql;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound Axon SQL enforces, with the defaults documented in the README. All are per axon or per request
 * except {@code maxOpenDatabases}, {@code threads}, {@code maxPendingTasks} and {@code threadStackBytes}, which size
 * the shared engine. Build one with {@link #builder()} (defaults) or {@link #toBuilder()}; the canonical constructor
 * checks every value and the relations between them.
 *
 * @param statementTimeout    wall-clock budget of one statement (in a batch: the smaller of this and what is left
 *                            of {@code batchTimeout})
 * @param maxSqlBytes         UTF-8 size of one statement's SQL text
 * @param maxParams           parameters bound to one statement (also SQLite's variable-number limit)
 * @param maxBatchStatements  statements in one batch
 * @param maxValueBytes       size of one TEXT or BLOB value and of one row, stored or returned
 * @param maxDatabaseBytes    size of one axon's database file ({@code PRAGMA max_page_count})
 * @param maxRows             rows returned by one statement before {@code rows_read_limit_reached}
 * @param maxResultBytes      JSON-encoded bytes of the rows of one answer (a batch's statements share it) before
 *                            truncation with {@code rows_read_limit_reached}
 * @param maxOpenDatabases    per-axon databases kept open at once (least recently used are closed first)
 * @param threads             platform threads running SQLite work
 * @param maxPendingTasks     requests queued or running across all axons before new ones get 429
 * @param batchTimeout        wall-clock budget of a whole batch
 * @param queueTimeout        longest a request waits behind the axon's earlier SQL work; one that waited longer is
 *                            not started at all (503, safe to retry), so work whose client gave up is not done late
 * @param maxLikePatternBytes UTF-8 size of one LIKE or GLOB pattern ({@code SQLITE_LIMIT_LIKE_PATTERN_LENGTH})
 * @param maxExpressionDepth  depth of one expression tree, and of views, CTEs and subqueries nested in one
 *                            another ({@code SQLITE_LIMIT_EXPR_DEPTH}, which SQLite applies to both)
 * @param maxCompoundSelect   terms of one compound SELECT ({@code SQLITE_LIMIT_COMPOUND_SELECT})
 * @param maxTriggerDepth     triggers (and foreign key actions) firing one another ({@code SQLITE_LIMIT_TRIGGER_DEPTH})
 * @param maxExpandedDepth    levels one statement nests once SQLite has pasted the views, CTEs, subqueries and
 *                            generated columns it reads into one another ({@link ExpansionGuard}, {@link SqlCost})
 * @param maxExpandedSize     levels of queries and expressions SQLite compiles for one statement, counting each view
 *                            each time it is read and every trigger the statement may fire ({@link ExpansionGuard})
 * @param threadStackBytes    native stack of each SQL thread, in bytes; at least {@link #requiredStackBytes()}
 *
 * <p>The depth limits bound how deep SQLite recurses on the native stack of an SQL thread, and
 * {@code threadStackBytes} must hold the deepest statement they admit: {@link NativeStack} has the measurements.
 * The two expansion limits also bound the time SQLite spends compiling one statement, which nothing interrupts.
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
        Duration batchTimeout,
        Duration queueTimeout,
        int maxLikePatternBytes,
        int maxExpressionDepth,
        int maxCompoundSelect,
        int maxTriggerDepth,
        int maxExpandedDepth,
        int maxExpandedSize,
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
    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_MAX_PENDING_TASKS = 10_000;
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_LIKE_PATTERN_BYTES = 1000;
    public static final int DEFAULT_MAX_EXPRESSION_DEPTH = 1000;
    public static final int DEFAULT_MAX_COMPOUND_SELECT = 500;
    public static final int DEFAULT_MAX_TRIGGER_DEPTH = 1000;
    public static final int DEFAULT_MAX_EXPANDED_DEPTH = 2000;
    public static final int DEFAULT_MAX_EXPANDED_SIZE = 10_000;
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
        positive("sql.statement-timeout", statementTimeout);
        positive("sql.batch-timeout", batchTimeout);
        positive("sql.queue-timeout", queueTimeout);
        positive("sql.max-sql-bytes", maxSqlBytes);
        positive("sql.max-params", maxParams);
        positive("sql.max-batch-statements", maxBatchStatements);
        positive("sql.max-value-bytes", maxValueBytes);
        positive("sql.max-rows", maxRows);
        positive("sql.max-open-databases", maxOpenDatabases);
        positive("sql.threads", threads);
        positive("sql.max-pending", maxPendingTasks);
        if (maxDatabaseBytes < 64 * 1024) {
            throw new IllegalArgumentException("sql.max-database-bytes must be at least 65536, got " + maxDatabaseBytes);
        }
        if (maxResultBytes < minResultBytes(maxValueBytes)) {
            // One maximal row must always fit, or a legal row could never be returned.
            throw new IllegalArgumentException("sql.max-result-bytes (" + maxResultBytes + ") must be at least "
                    + minResultBytes(maxValueBytes) + " = 6 x sql.max-value-bytes (" + maxValueBytes + ") + 65536: one"
                    + " row of the largest values may take six times their size once JSON-escaped, and it must fit");
        }
        if (maxParams > 32766) {
            throw new IllegalArgumentException("sql.max-params must be at most 32766 (SQLite's own maximum), got " + maxParams);
        }
        withinSqlite("sql.max-like-pattern-bytes", maxLikePatternBytes,
                SQLITE_MAX_LIKE_PATTERN_BYTES);
        withinSqlite("sql.max-expression-depth", maxExpressionDepth, SQLITE_MAX_EXPRESSION_DEPTH);
        withinSqlite("sql.max-compound-select", maxCompoundSelect, SQLITE_MAX_COMPOUND_SELECT);
        withinSqlite("sql.max-trigger-depth", maxTriggerDepth, SQLITE_MAX_TRIGGER_DEPTH);
        if (maxExpandedDepth < maxExpressionDepth + SqlCost.QUERY_LEVELS) {
            // Below that, one expression SQLite accepts would be refused as if it were pasted from elsewhere.
            throw new IllegalArgumentException("sql.max-expanded-depth (" + maxExpandedDepth + ") must be at least"
                    + " sql.max-expression-depth + " + SqlCost.QUERY_LEVELS + " (" + (maxExpressionDepth
                    + SqlCost.QUERY_LEVELS) + ")");
        }
        if (maxExpandedSize < maxExpandedDepth) {
            throw new IllegalArgumentException("sql.max-expanded-size (" + maxExpandedSize + ") must be at least"
                    + " sql.max-expanded-depth (" + maxExpandedDepth + "): a statement is at least as large as it is deep");
        }
        long required = NativeStack.requiredBytes(maxLikePatternBytes, maxCompoundSelect, maxTriggerDepth,
                maxExpandedDepth);
        if (threadStackBytes < required) {
            throw new IllegalArgumentException("sql.thread-stack-size is " + threadStackBytes
                    + " bytes, but SQLite may recurse through " + required + " bytes of native stack at these limits"
                    + " (sql.max-like-pattern-bytes " + maxLikePatternBytes + ", sql.max-compound-select "
                    + maxCompoundSelect + ", sql.max-trigger-depth " + maxTriggerDepth + ", sql.max-expanded-depth "
                    + maxExpandedDepth + "): raise the stack or lower the limits");
        }
    }

    /** The defaults; change what you need and {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public static SqlLimits defaults() {
        return builder().build();
    }

    /** A builder holding these limits. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.statementTimeout = statementTimeout;
        b.maxSqlBytes = maxSqlBytes;
        b.maxParams = maxParams;
        b.maxBatchStatements = maxBatchStatements;
        b.maxValueBytes = maxValueBytes;
        b.maxDatabaseBytes = maxDatabaseBytes;
        b.maxRows = maxRows;
        b.maxResultBytes = maxResultBytes;
        b.maxOpenDatabases = maxOpenDatabases;
        b.threads = threads;
        b.maxPendingTasks = maxPendingTasks;
        b.batchTimeout = batchTimeout;
        b.queueTimeout = queueTimeout;
        b.maxLikePatternBytes = maxLikePatternBytes;
        b.maxExpressionDepth = maxExpressionDepth;
        b.maxCompoundSelect = maxCompoundSelect;
        b.maxTriggerDepth = maxTriggerDepth;
        b.maxExpandedDepth = maxExpandedDepth;
        b.maxExpandedSize = maxExpandedSize;
        b.threadStackBytes = threadStackBytes;
        return b;
    }

    /** The smallest answer limit that still fits one maximal row, JSON-escaped (a control byte becomes six). */
    public static long minResultBytes(long maxValueBytes) {
        return 6 * maxValueBytes + 64 * 1024;
    }

    /** The native stack, in bytes, that the deepest statement these limits admit can use ({@link NativeStack}). */
    public long requiredStackBytes() {
        return NativeStack.requiredBytes(maxLikePatternBytes, maxCompoundSelect, maxTriggerDepth, maxExpandedDepth);
    }

    private static void withinSqlite(String name, int value, int ceiling) {
        if (value <= 0 || value > ceiling) {
            throw new IllegalArgumentException(name + " must be between 1 and " + ceiling + " (SQLite's own maximum),"
                    + " got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Mutable limits, starting from the defaults; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private int maxSqlBytes = DEFAULT_MAX_SQL_BYTES;
        private int maxParams = DEFAULT_MAX_PARAMS;
        private int maxBatchStatements = DEFAULT_MAX_BATCH_STATEMENTS;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private long maxDatabaseBytes = DEFAULT_MAX_DATABASE_BYTES;
        private int maxRows = DEFAULT_MAX_ROWS;
        private long maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
        private int maxOpenDatabases = DEFAULT_MAX_OPEN_DATABASES;
        private int threads = DEFAULT_THREADS;
        private int maxPendingTasks = DEFAULT_MAX_PENDING_TASKS;
        private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;
        private Duration queueTimeout = DEFAULT_QUEUE_TIMEOUT;
        private int maxLikePatternBytes = DEFAULT_MAX_LIKE_PATTERN_BYTES;
        private int maxExpressionDepth = DEFAULT_MAX_EXPRESSION_DEPTH;
        private int maxCompoundSelect = DEFAULT_MAX_COMPOUND_SELECT;
        private int maxTriggerDepth = DEFAULT_MAX_TRIGGER_DEPTH;
        private int maxExpandedDepth = DEFAULT_MAX_EXPANDED_DEPTH;
        private int maxExpandedSize = DEFAULT_MAX_EXPANDED_SIZE;
        private long threadStackBytes = DEFAULT_THREAD_STACK_BYTES;

        private Builder() {}

        public Builder statementTimeout(Duration v) { statementTimeout = v; return this; }
        public Builder maxSqlBytes(int v) { maxSqlBytes = v; return this; }
        public Builder maxParams(int v) { maxParams = v; return this; }
        public Builder maxBatchStatements(int v) { maxBatchStatements = v; return this; }
        public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
        public Builder maxDatabaseBytes(long v) { maxDatabaseBytes = v; return this; }
        public Builder maxRows(int v) { maxRows = v; return this; }
        public Builder maxResultBytes(long v) { maxResultBytes = v; return this; }
        public Builder maxOpenDatabases(int v) { maxOpenDatabases = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder maxPendingTasks(int v) { maxPendingTasks = v; return this; }
        public Builder batchTimeout(Duration v) { batchTimeout = v; return this; }
        public Builder queueTimeout(Duration v) { queueTimeout = v; return this; }
        public Builder maxLikePatternBytes(int v) { maxLikePatternBytes = v; return this; }
        public Builder maxExpressionDepth(int v) { maxExpressionDepth = v; return this; }
        public Builder maxCompoundSelect(int v) { maxCompoundSelect = v; return this; }
        public Builder maxTriggerDepth(int v) { maxTriggerDepth = v; return this; }
        public Builder maxExpandedDepth(int v) { maxExpandedDepth = v; return this; }
        public Builder maxExpandedSize(int v) { maxExpandedSize = v; return this; }
        public Builder threadStackBytes(long v) { threadStackBytes = v; return this; }

        /** @throws IllegalArgumentException naming the value and the rule it breaks */
        public SqlLimits build() {
            return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                    maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks,
                    batchTimeout, queueTimeout, maxLikePatternBytes, maxExpressionDepth, maxCompoundSelect,
                    maxTriggerDepth, maxExpandedDepth, maxExpandedSize, threadStackBytes);
        }
    }
}
