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
 * @param maxResultBytes     JSON-encoded bytes of the rows of one answer (a batch's statements share it) before
 *                           truncation with {@code rows_read_limit_reached}
 * @param maxOpenDatabases   per-axon databases kept open at once (least recently used are closed first)
 * @param threads            platform threads running SQLite work
 * @param maxPendingTasks    requests queued or running across all axons before new ones get 429
 * @param batchTimeout       wall-clock budget of a whole batch; each of its statements gets the smaller of this
 *                           budget's remainder and {@code statementTimeout}
 * @param queueTimeout       longest a request waits behind the axon's earlier SQL work; one that waited longer is
 *                           not started at all (503, safe to retry), so work whose client gave up is not done late
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
        Duration queueTimeout) {

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
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(10);

    public SqlLimits {
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statementTimeout must be positive: " + statementTimeout);
        }
        positive("batchTimeout", batchTimeout);
        positive("queueTimeout", queueTimeout);
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
        if (maxResultBytes < minResultBytes(maxValueBytes)) {
            // One maximal row must always fit, or a legal row could never be returned.
            throw new IllegalArgumentException("maxResultBytes (" + maxResultBytes + ") must be >= "
                    + minResultBytes(maxValueBytes) + ": a row of maxValueBytes (" + maxValueBytes
                    + ") may take six times that once JSON-escaped");
        }
        if (maxParams > 32766) {
            throw new IllegalArgumentException("maxParams must be <= 32766: " + maxParams);
        }
    }

    /** The smallest answer limit that still fits one maximal row, JSON-escaped (a control byte becomes six). */
    public static long minResultBytes(long maxValueBytes) {
        return 6 * maxValueBytes + 64 * 1024;
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
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
                Math.max(2, Runtime.getRuntime().availableProcessors()), DEFAULT_MAX_PENDING_TASKS, DEFAULT_BATCH_TIMEOUT, DEFAULT_QUEUE_TIMEOUT);
    }

    public SqlLimits withStatementTimeout(Duration v) {
        return new SqlLimits(v, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxSqlBytes(int v) {
        return new SqlLimits(statementTimeout, v, maxParams, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxParams(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, v, maxBatchStatements, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxBatchStatements(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, v, maxValueBytes, maxDatabaseBytes,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxValueBytes(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, v, maxDatabaseBytes,
                maxRows, Math.max(maxResultBytes, minResultBytes(v)), maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxDatabaseBytes(long v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes, v,
                maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxRows(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, v, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxResultBytes(long v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, v, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withMaxOpenDatabases(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, v, threads, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withThreads(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, v, maxPendingTasks, batchTimeout, queueTimeout);
    }

    public SqlLimits withBatchTimeout(Duration v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, v, queueTimeout);
    }

    public SqlLimits withQueueTimeout(Duration v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, maxPendingTasks, batchTimeout, v);
    }

    public SqlLimits withMaxPendingTasks(int v) {
        return new SqlLimits(statementTimeout, maxSqlBytes, maxParams, maxBatchStatements, maxValueBytes,
                maxDatabaseBytes, maxRows, maxResultBytes, maxOpenDatabases, threads, v, batchTimeout, queueTimeout);
    }
}
