package io.myelin.axonsql;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * One open SQLite connection to one axon's database, configured so that SQLite itself enforces as much of
 * the contract as it can, independently of {@link StatementGuard}:
 * <ul>
 *   <li>{@code SQLITE_LIMIT_ATTACHED = 0}: ATTACH and VACUUM INTO fail inside SQLite.</li>
 *   <li>extension loading off, and {@code load_extension}/{@code fts3_tokenizer} replaced by functions that
 *       fail (application functions take precedence over built-ins of the same name).</li>
 *   <li>{@code instr}, {@code replace}, two-argument {@code trim}/{@code ltrim}/{@code rtrim} and {@code unhex}
 *       replaced by linear-time versions ({@link LinearTextFunctions}): SQLite's take minutes to hours on values
 *       of the allowed size, inside one step the statement timeout cannot interrupt.</li>
 *   <li>{@code trusted_schema = OFF}: views and triggers cannot call functions with side effects.</li>
 *   <li>{@code SQLITE_LIMIT_LENGTH} = max value/row size, {@code SQLITE_LIMIT_SQL_LENGTH},
 *       {@code SQLITE_LIMIT_VARIABLE_NUMBER} = max params, {@code max_page_count} = max database size.</li>
 *   <li>The limits that bound SQLite's native recursion ({@link NativeStack}): {@code LIKE_PATTERN_LENGTH},
 *       {@code EXPR_DEPTH}, {@code COMPOUND_SELECT}, {@code TRIGGER_DEPTH} from {@link SqlLimits}; and fixed
 *       at SQLite's usual defaults, since sqlite-jdbc's build raises some of them: {@code COLUMN} =
 *       {@value #MAX_COLUMNS} (the build allows 32,767), {@code FUNCTION_ARG} = {@value #MAX_FUNCTION_ARGS},
 *       {@code WORKER_THREADS} = 0 (a sorter helper thread would run SQLite on a stack we do not size);
 *       {@code VDBE_OP} = {@value #MAX_PROGRAM_OPS}, which bounds the memory one compiled statement takes. Each is
 *       read back after it is set, so a build whose ceiling is lower fails the open instead of silently
 *       applying less.</li>
 *   <li>WAL journal (persistent in the file, so set once, when the file does not yet report it) with
 *       {@code synchronous = FULL}: a commit is fsynced before the call returns.</li>
 *   <li>{@code foreign_keys = ON}: the documented FOREIGN KEY failures happen.</li>
 * </ul>
 *
 * <p>Statement time limit: a progress handler, called by SQLite every {@value #PROGRESS_OPS} virtual-machine
 * instructions on the executing thread, aborts the statement ({@code SQLITE_INTERRUPT}) once the armed
 * deadline has passed. It runs on the same thread as the statement, so no timer thread is needed and an
 * interrupt can never hit the next statement by mistake. Hazard: time spent inside one instruction (a huge
 * sort step) is not interruptible until the instruction ends.
 *
 * <p>Not thread-safe: {@link AxonLanes} guarantees one thread at a time per axon.
 */
final class AxonConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AxonConnection.class);
    static final int PROGRESS_OPS = 1000;
    /** Page cache per connection; with 1,000 open databases this caps cache memory near 1 GiB worst case. */
    private static final int CACHE_KIB = 1024;
    private static final int SQLITE_UTF8 = 1;
    static final int MAX_COLUMNS = 2000;
    static final int MAX_FUNCTION_ARGS = 127;
    /**
     * Operations in one compiled statement ({@code SQLITE_LIMIT_VDBE_OP}). The build allows 250 million: a table
     * whose generated columns each add the previous one to itself compiles to 2^n of them, and with 22 such
     * columns a 700-byte CREATE TABLE took 0.7 GB of native memory (24 exhausted a 6 GB address space). A 100 KiB
     * INSERT of 7,000 rows compiles to 29,000 operations.
     */
    static final int MAX_PROGRAM_OPS = 1_000_000;

    private final String axonId;
    private final Path file;
    private final SQLiteConnection conn;
    private final ExpansionGuard expansion;
    private volatile long deadlineNanos;
    private volatile boolean timedOut;

    private AxonConnection(String axonId, Path file, SQLiteConnection conn, SqlLimits limits) {
        this.axonId = axonId;
        this.file = file;
        this.conn = conn;
        this.expansion = new ExpansionGuard(limits);
    }

    static AxonConnection open(String axonId, Path file, SqlLimits limits) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.enableLoadExtension(false);
        config.setOpenMode(SQLiteOpenMode.READWRITE);
        config.setOpenMode(SQLiteOpenMode.CREATE);
        // An axon's work runs one request at a time, so its database's lock is held elsewhere only briefly (a
        // connection being closed) or from outside (an operator's sqlite3, a backup): a statement waits for it as
        // long as it may run at all, and no longer.
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, limits.statementTimeout().toMillis()));
        SQLiteConnection conn = (SQLiteConnection) config.createConnection("jdbc:sqlite:" + file);
        AxonConnection c = new AxonConnection(axonId, file, conn, limits);
        try {
            c.configure(limits);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
        return c;
    }

    private void configure(SqlLimits limits) throws SQLException {
        conn.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        conn.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, limits.maxValueBytes());
        // SQLite counts SQL length in bytes; the guard's own check names the field, this is the backstop.
        conn.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, limits.maxSqlBytes());
        conn.setLimit(SQLiteLimits.SQLITE_LIMIT_VARIABLE_NUMBER, limits.maxParams());
        setLimit(SQLiteLimits.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, limits.maxLikePatternBytes());
        setLimit(SQLiteLimits.SQLITE_LIMIT_EXPR_DEPTH, limits.maxExpressionDepth());
        setLimit(SQLiteLimits.SQLITE_LIMIT_COMPOUND_SELECT, limits.maxCompoundSelect());
        setLimit(SQLiteLimits.SQLITE_LIMIT_TRIGGER_DEPTH, limits.maxTriggerDepth());
        setLimit(SQLiteLimits.SQLITE_LIMIT_COLUMN, MAX_COLUMNS);
        setLimit(SQLiteLimits.SQLITE_LIMIT_FUNCTION_ARG, MAX_FUNCTION_ARGS);
        setLimit(SQLiteLimits.SQLITE_LIMIT_WORKER_THREADS, 0);
        setLimit(SQLiteLimits.SQLITE_LIMIT_VDBE_OP, MAX_PROGRAM_OPS);
        refuseFunction("load_extension");
        refuseFunction("fts3_tokenizer");
        LinearTextFunctions.register(conn, limits.maxValueBytes());
        try (Statement st = conn.createStatement()) {
            if (!"wal".equalsIgnoreCase(singleString(st, "PRAGMA journal_mode"))) {
                String mode = singleString(st, "PRAGMA journal_mode=WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("cannot switch " + file + " to WAL, journal_mode is " + mode);
                }
            }
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA trusted_schema=OFF");
            st.execute("PRAGMA foreign_keys=ON");
            st.execute("PRAGMA cache_size=-" + CACHE_KIB);
            st.execute("PRAGMA journal_size_limit=" + (64L * 1024 * 1024));
            long pageSize = Long.parseLong(singleString(st, "PRAGMA page_size"));
            st.execute("PRAGMA max_page_count=" + Math.max(1, limits.maxDatabaseBytes() / pageSize));
        }
        ProgressHandler.setHandler(conn, PROGRESS_OPS, new ProgressHandler() {
            @Override
            protected int progress() {
                long deadline = deadlineNanos;
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    timedOut = true;
                    return 1;
                }
                return 0;
            }
        });
    }

    /** Sets a limit that bounds native work and checks that SQLite applied it (it caps at its compiled ceiling). */
    private void setLimit(SQLiteLimits limit, int value) throws SQLException {
        conn.setLimit(limit, value);
        int applied = conn.getDatabase().limit(limit.getId(), -1); // a negative value only reads the limit
        if (applied != value) {
            throw new SQLException("SQLite applied " + limit + " = " + applied + " instead of " + value
                    + " (its compiled maximum is lower); lower the setting");
        }
    }

    /**
     * Replaces a function for every argument count. SQLite prefers an exact argument-count match over a
     * variadic one, and FTS3 registers {@code fts3_tokenizer} per connection for 1 and 2 arguments, so the
     * variadic override alone would lose to it. It also prefers a matching text encoding: sqlite-jdbc registers
     * functions as {@code SQLITE_UTF16} (4) OR its flags, so passing {@code SQLITE_UTF8} (1) makes
     * {@code SQLITE_ANY} (5), which registers a UTF-8 copy that replaces FTS3's own definition.
     */
    private void refuseFunction(String name) throws SQLException {
        Function refusal = new Function() {
            @Override
            protected void xFunc() throws SQLException {
                error(name + " is refused: it reaches outside the axon's database");
            }
        };
        for (int nArgs : new int[] {-1, 0, 1, 2, 3}) {
            Function.create(conn, name, refusal, nArgs, SQLITE_UTF8);
        }
    }

    private static String singleString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    String axonId() {
        return axonId;
    }

    Path file() {
        return file;
    }

    SQLiteConnection jdbc() {
        return conn;
    }

    /** The expansion limits of this connection, with what it knows of the schema. */
    ExpansionGuard expansion() {
        return expansion;
    }

    /**
     * True, and the statement counts as timed out, when its deadline has passed. For the time spent compiling:
     * SQLite calls the progress handler only at a few points while it prepares a statement.
     */
    boolean expired() {
        long deadline = deadlineNanos;
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
            timedOut = true;
        }
        return timedOut;
    }

    /** Starts the time budget of the next statement. */
    void arm(Duration budget) {
        timedOut = false;
        deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    void disarm() {
        deadlineNanos = 0;
    }

    /** True when the progress handler aborted the current statement for running past its deadline. */
    boolean timedOut() {
        return timedOut;
    }

    /** Runs {@code sql} on the server's behalf (no deadline, no guard). */
    void execInternal(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    void setAttachedLimit(int n) throws SQLException {
        conn.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, n);
    }

    /**
     * Checkpoints the WAL into the database file and truncates it, then closes. Called when the connection
     * leaves the LRU, so that an idle axon holds no file descriptors and no WAL.
     */
    @Override
    public void close() {
        disarm();
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            log.warn("checkpoint of axon {} database {} failed on close: {}", axonId, file, e.getMessage());
        }
        closeQuietly(conn);
    }

    private static void closeQuietly(SQLiteConnection conn) {
        try {
            conn.close();
        } catch (SQLException e) {
            log.warn("closing SQLite connection failed: {}", e.getMessage());
        }
    }
}
