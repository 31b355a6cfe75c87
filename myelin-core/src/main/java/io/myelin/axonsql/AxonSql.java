package io.myelin.axonsql;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.concurrent.Deadline;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.text.Utf8;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.FreeSpace;
import io.myelin.storage.StorageErrors;
import io.myelin.storage.StorageHealth;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon SQL: a private, durable SQLite database per axon, reached only through {@link #query} (one statement)
 * and {@link #batch} (several statements in one transaction).
 *
 * <p>Request path: the caller's thread (typically a virtual thread of the HTTP layer) validates everything
 * that needs no database (axon id, sizes, statement count, single-statement rule, the
 * {@link StatementGuard}, parameter types) and fails fast with a 4xx before any work is queued; a refused
 * statement anywhere in a batch fails the whole request with 403 before anything runs. The work then runs in
 * the axon's lane ({@link AxonLanes}: serialized per axon, parallel across axons, platform threads) on a
 * connection checked out of the LRU ({@link OpenDatabases}, opened and created lazily on first use).
 *
 * <p>Files: {@code <sqlRoot>/<shard>/<axonId>.db} ({@link DatabaseFiles}); nothing else is ever opened.
 *
 * <p>{@link #query} and {@link #batch} take the {@link Caller} they act for first, like every engine call on data;
 * access was checked before the call (the HTTP layer asks {@link io.myelin.auth.AccessPolicy}).
 *
 * <p>Thread-safe. Blocking: {@link #query}, {@link #batch} and {@link #drop} block until the work is done.
 */
public final class AxonSql implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AxonSql.class);

    private final SqlLimits limits;
    private final DatabaseFiles files;
    private final AxonLanes lanes;
    private final OpenDatabases databases;
    private final StatementRunner runner;
    private final BatchRunner batchRunner;
    private final Predicate<String> axonExists;
    private final StorageHealth health;
    private final boolean ownsHealth;
    private final AccessPolicy policy = new AccessPolicy();

    public AxonSql(Path sqlRoot, SqlLimits limits) {
        this(sqlRoot, limits, id -> true);
    }

    /** An engine whose storage failures are tracked by a {@link StorageHealth} of its own, closed with it. */
    public AxonSql(Path sqlRoot, SqlLimits limits, Predicate<String> axonExists) {
        this(sqlRoot, limits, axonExists, new StorageHealth(sqlRoot), true);
    }

    /**
     * @param axonExists asked in the axon's lane right before its database is opened; false answers 404. Checked
     *                   there, not only by the caller, so that a request racing with the axon's deletion cannot
     *                   recreate the database after {@link #dropAsync} removed it: the drop runs in the same lane,
     *                   after the axon has already stopped existing.
     * @param health     told about storage-class failures (full disk, I/O error, read-only files), so readiness
     *                   reflects them; the caller closes it
     */
    public AxonSql(Path sqlRoot, SqlLimits limits, Predicate<String> axonExists, StorageHealth health) {
        this(sqlRoot, limits, axonExists, health, false);
    }

    private AxonSql(Path sqlRoot, SqlLimits limits, Predicate<String> axonExists, StorageHealth health,
                    boolean ownsHealth) {
        this.health = Objects.requireNonNull(health, "health");
        this.ownsHealth = ownsHealth;
        this.axonExists = Objects.requireNonNull(axonExists, "axonExists");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.files = new DatabaseFiles(Objects.requireNonNull(sqlRoot, "sqlRoot"));
        this.lanes = new AxonLanes(limits.threads(), limits.maxPendingTasks(), limits.threadStackBytes());
        this.databases = new OpenDatabases(limits.maxOpenDatabases(), this::open);
        this.runner = new StatementRunner(limits);
        this.batchRunner = new BatchRunner(runner, limits);
    }

    public SqlLimits limits() {
        return limits;
    }

    /**
     * Executes exactly one statement in its own transaction.
     *
     * @param params positional values for {@code ?} placeholders; may be null. Accepted: null, Boolean (bound as
     *               1/0), integral numbers within 64 bits, Float/Double/BigDecimal (REAL), String, byte[], and
     *               the JSON blob form {@code Map.of("$blob", "<standard base64>")}; anything else is a 400 naming
     *               {@code params[i]}. Their count must equal the statement's placeholders.
     * @throws MyelinException 400 for invalid SQL, execution errors (with SQLite's message), timeouts and
     *                         malformed input; 403 for refused statements, and for a statement that writes when
     *                         {@code caller} may only read ({@link #query(Caller, String, String, List, Deadline,
     *                         MemoryBudget.Lease)}); 413 for size limits (the database's included); 507 when the
     *                         server's disk is full; 5xx for other storage failures
     */
    public SqlResult query(Caller caller, String axonId, String sql, List<Object> params) {
        return query(caller, axonId, sql, params, Deadline.in(limits.queueTimeout()), MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #query(Caller, String, String, List)} for a request that stops being worth running at {@code startBy}: when
     * its turn in the axon's lane comes after that, or after its client went away, it is not started (503, marked
     * {@link MyelinException#nothingApplied}). Its rows are bounded by {@code sql.max-result-bytes} (JSON-encoded)
     * and held in {@code memory}, which the caller closes once it has written them; when the server's budget is
     * spent, a read-only statement gets 503 (retry shortly) and one that may have written returns fewer rows with
     * {@code rows_read_limit_reached}.
     *
     * <p>A caller that {@link AccessPolicy} does not allow {@link Action#SQL_WRITE} on the axon (scope
     * {@code sql:read}) runs the statement with {@code PRAGMA query_only} on: SQLite refuses it before it changes
     * anything when it would write, and that is a 403 naming {@code sql}.
     */
    public SqlResult query(Caller caller, String axonId, String sql, List<Object> params, Deadline startBy,
                           MemoryBudget.Lease memory) {
        Objects.requireNonNull(caller, "caller");
        DatabaseFiles.validateId(axonId);
        PreparedSql p = prepare(sql, params, "sql", "params");
        boolean readOnly = !policy.allows(caller, Action.SQL_WRITE, axonId);
        return lanes.call(axonId, startBy, limits.statementTimeout(),
                () -> withConnection(axonId, c -> runner.run(c, p, readOnly, allowance(memory))));
    }

    /**
     * True unless the statement is known to change nothing (a plain SELECT, VALUES, EXPLAIN or a PRAGMA read).
     * Callers use it to skip the bookkeeping that makes writes safe to retry. Validates like {@link #query}.
     *
     * @throws MyelinException 400/403/413 as {@link #query} would, before anything runs
     */
    public boolean mayWrite(String sql, String field) {
        if (sql == null) {
            throw MyelinException.invalid(field, field + " is required");
        }
        checkSize(sql, field);
        return StatementGuard.check(StatementSplitter.single(sql, field).tokens(), field).mayWrite();
    }

    /**
     * Executes all statements in one {@code BEGIN IMMEDIATE} transaction. When one fails, everything is rolled
     * back, its step carries {@code "statement <i>: <SQLite message>"}, and the steps after it carry
     * {@code "not executed: statement <i> failed"}. That is a normal result, not an exception.
     *
     * @throws MyelinException 400/403/413 before anything runs, for malformed, refused or oversized input;
     *                         400 when COMMIT itself fails (everything rolled back); 507 when the server's disk is
     *                         full and 5xx for other storage failures (everything rolled back)
     */
    public BatchResult batch(Caller caller, String axonId, List<SqlStatement> statements) {
        return batch(caller, axonId, statements, Deadline.in(limits.queueTimeout()), MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #batch(Caller, String, List)} for a request that stops being worth starting at {@code startBy}, whose rows are
     * held in {@code memory} until its caller has written them (see {@link #query(Caller, String, String, List,
     * Deadline, MemoryBudget.Lease)}).
     */
    public BatchResult batch(Caller caller, String axonId, List<SqlStatement> statements, Deadline startBy,
                             MemoryBudget.Lease memory) {
        Objects.requireNonNull(caller, "caller");
        DatabaseFiles.validateId(axonId);
        if (statements == null || statements.isEmpty()) {
            throw MyelinException.invalid("statements", "statements must hold at least one statement");
        }
        if (statements.size() > limits.maxBatchStatements()) {
            throw MyelinException.invalid("statements", "statements has " + statements.size()
                    + " entries; the limit is " + limits.maxBatchStatements() + " (sql.max-batch-statements)");
        }
        List<PreparedSql> prepared = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            SqlStatement st = statements.get(i);
            String base = "statements[" + i + "]";
            if (st == null) {
                throw MyelinException.invalid(base, base + " is null; each statement needs a sql field");
            }
            prepared.add(prepare(st.sql(), st.params(), base + ".sql", base + ".params"));
        }
        return lanes.call(axonId, startBy, limits.batchTimeout(),
                () -> withConnection(axonId, c -> batchRunner.run(c, prepared, allowance(memory))));
    }

    /**
     * Closes the axon's database and deletes it with its side files. Idempotent; returns true when a database
     * existed. A later query creates a new, empty database.
     */
    public boolean drop(String axonId) {
        DatabaseFiles.validateId(axonId);
        return lanes.call(axonId, () -> dropNow(axonId));
    }

    /**
     * Queues the drop in the axon's lane and returns at once: for callers that must not block, such as axon
     * deletion listeners on the storage writer thread. Work already queued for the axon runs first. Never
     * refused for back-pressure; a failure is logged.
     */
    public CompletableFuture<Boolean> dropAsync(String axonId) {
        DatabaseFiles.validateId(axonId);
        CompletableFuture<Boolean> f = lanes.submit(axonId, () -> dropNow(axonId), true);
        f.whenComplete((existed, e) -> {
            if (e != null) {
                // Nobody waits on this future; the file is removed by the sweep at the next start at the latest.
                log.warn("dropping the SQL database of deleted axon {} failed: {}", axonId, e.toString());
            }
        });
        return f;
    }

    /**
     * Deletes the databases of axons for which {@code keep} is false: those deleted while the server was down,
     * after the deletion was durable but before the database was dropped. Run at start, before serving.
     *
     * @return the ids whose databases were deleted
     */
    public List<String> dropAllExcept(Predicate<String> keep) {
        List<String> dropped = new ArrayList<>();
        for (String id : files.existingIds()) {
            if (!keep.test(id)) {
                drop(id);
                dropped.add(id);
            }
        }
        return dropped;
    }

    private boolean dropNow(String axonId) {
        databases.evict(axonId);
        return files.delete(axonId);
    }

    /** Databases currently open (idle in the LRU, in use, or closing). */
    public int openDatabases() {
        return databases.size();
    }

    /** SQL requests queued or running, across all axons. */
    public int pendingRequests() {
        return lanes.pending();
    }

    /** True when the axon's database is open and idle in the LRU. */
    boolean isOpen(String axonId) {
        return databases.isIdle(axonId);
    }

    /** The file that holds (or will hold) the axon's database. */
    public Path databaseFile(String axonId) {
        return files.fileFor(axonId);
    }

    /** Finishes queued work, then checkpoints and closes every open database. */
    @Override
    public void close() {
        lanes.close();
        databases.close();
        if (ownsHealth) {
            health.close();
        }
    }

    private PreparedSql prepare(String sql, List<Object> params, String sqlField, String paramField) {
        if (sql == null) {
            throw MyelinException.invalid(sqlField, sqlField + " is required");
        }
        checkSize(sql, sqlField);
        StatementSplitter.Piece piece = StatementSplitter.single(sql, sqlField);
        StatementGuard.Kind kind = StatementGuard.check(piece.tokens(), sqlField);
        Object[] values = SqlParams.convert(params, paramField, limits);
        return new PreparedSql(piece.text(), values, piece.tokens(), kind, sqlField, paramField);
    }

    private ResultAllowance allowance(MemoryBudget.Lease memory) {
        return new ResultAllowance(limits.maxResultBytes(), memory);
    }

    private void checkSize(String sql, String sqlField) {
        // One pass that measures and refuses unpaired surrogates (sqlite-jdbc would store them as '?').
        long bytes = Utf8.checkedLength(sql, sqlField);
        if (bytes > limits.maxSqlBytes()) {
            throw MyelinException.tooLarge(sqlField, sqlField + " is " + bytes + " bytes; SQL text is limited to "
                    + limits.maxSqlBytes() + " bytes (sql.max-sql-bytes)");
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(AxonConnection c);
    }

    /**
     * Checks the axon's connection out for the duration of {@code work}. A storage failure closes the
     * connection instead of returning it, so the next request reopens the database from disk, and is reported to
     * {@link StorageHealth}.
     */
    private <T> T withConnection(String axonId, Work<T> work) {
        if (!axonExists.test(axonId)) {
            throw MyelinException.notFound("axon", axonId);
        }
        AxonConnection c;
        try {
            c = databases.checkout(axonId);
        } catch (SQLException e) {
            throw reported(SqliteErrors.translate(e, false, limits, null, files.fileFor(axonId)), axonId);
        } catch (MyelinException e) {
            throw e.kind().status() < 500 ? e : reported(e, axonId);
        }
        boolean healthy = false;
        try {
            T result = work.apply(c);
            healthy = true;
            return result;
        } catch (MyelinException e) {
            healthy = e.kind().status() < 500;
            throw healthy ? e : reported(e, axonId);
        } finally {
            if (healthy) {
                databases.checkin(c);
            } else {
                databases.discard(c);
            }
        }
    }

    private MyelinException reported(MyelinException e, String axonId) {
        health.report(e, "Axon SQL database " + files.fileFor(axonId));
        return e;
    }

    private AxonConnection open(String axonId) throws SQLException {
        Path file = files.fileFor(axonId);
        try {
            files.ensureFile(file);
        } catch (IOException e) {
            // The path stays in the log: clients are not told where the server keeps its files.
            log.warn("cannot create the SQL database of axon {} at {}: {}", axonId, file, e.toString());
            if (FreeSpace.isFull(file)) {
                throw StorageErrors.diskFull("the axon's database could not be created", e);
            }
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot create the axon's SQL database: "
                    + (e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                    : e.getClass().getSimpleName()), e);
        }
        return AxonConnection.open(axonId, file, limits);
    }
}
