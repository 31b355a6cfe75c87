package io.myelin.client.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@link Backend} over SQL, the same statements on SQLite and PostgreSQL: two tables, {@code <prefix>_steps} (one row
 * per session and step) and {@code <prefix>_chunks}. Every write is one transaction that reads the step's row first —
 * locked ({@code SELECT … FOR UPDATE} on PostgreSQL; SQLite's {@code BEGIN IMMEDIATE} locks the whole file) — and
 * decides on it, so concurrent writers in any number of processes see each other's commits.
 *
 * <p>SQLite: one connection, used by one thread at a time (a lock), in WAL mode with {@code synchronous=FULL}, so a
 * write returns once it is on disk; other processes wait for the file's lock up to the busy timeout (30 s).
 * PostgreSQL: a connection from the caller's pool per call.
 */
final class JdbcBackend implements Backend {
    private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,39}\\.)?[a-z_][a-z0-9_]{0,39}");

    private final DataSource source;
    private final Connection shared;
    private final ReentrantLock sharedLock = new ReentrantLock();
    private final String steps;
    private final String chunks;
    private final String forUpdate;

    private JdbcBackend(DataSource source, Connection shared, String prefix, boolean postgres) {
        this.source = source;
        this.shared = shared;
        this.steps = prefix + "_steps";
        this.chunks = prefix + "_chunks";
        this.forUpdate = postgres ? " FOR UPDATE" : "";
    }

    static JdbcBackend sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(30_000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Connection c = ds.getConnection();
            JdbcBackend backend = new JdbcBackend(null, c, "journal", false);
            backend.createTables();
            return backend;
        } catch (Exception e) {
            throw new JournalException("cannot open the journal file " + file + ": " + e.getMessage(), e);
        }
    }

    static JdbcBackend postgres(DataSource source, String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be a lower-case SQL identifier of at most 40"
                    + " characters, optionally schema-qualified; got '" + prefix + "'");
        }
        JdbcBackend backend = new JdbcBackend(source, null, prefix, true);
        backend.createTables();
        return backend;
    }

    private void createTables() {
        transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + steps + " (session TEXT NOT NULL, step TEXT NOT NULL,"
                        + " status TEXT NOT NULL, result TEXT NOT NULL, attempt INTEGER NOT NULL,"
                        + " chunk_count INTEGER NOT NULL, recorded_at_ms BIGINT NOT NULL, PRIMARY KEY (session, step))");
                st.execute("CREATE TABLE IF NOT EXISTS " + chunks + " (session TEXT NOT NULL, step TEXT NOT NULL,"
                        + " idx INTEGER NOT NULL, chunk TEXT NOT NULL, PRIMARY KEY (session, step, idx))");
            }
            return null;
        });
    }

    @Override
    public StoredStep find(String session, String step) {
        return transaction(c -> {
            Row row = row(c, session, step, false);
            return row == null ? null : row.view(readChunks(c, session, step), false);
        });
    }

    @Override
    public StoredStep record(String session, String step, boolean failed, String resultJson) {
        String status = failed ? "failed" : "completed";
        return transaction(c -> {
            Row row = null;
            while (row == null) {
                if (insert(c, session, step, status, resultJson, 0)) {
                    return new StoredStep(true, failed, resultJson, List.of(), 0, true);
                }
                row = row(c, session, step, true); // null only when a forget removed it in between: insert again
            }
            if (row.sealed()) {
                return row.view(null, false);
            }
            deleteChunks(c, session, step);
            update(c, "UPDATE " + steps + " SET status = ?, result = ?, chunk_count = 0 WHERE session = ? AND step = ?",
                    status, resultJson, session, step);
            return new StoredStep(true, failed, resultJson, List.of(), row.attempt(), true);
        });
    }

    @Override
    public StoredStep begin(String session, String step) {
        return transaction(c -> {
            Row row = null;
            while (row == null) {
                if (insert(c, session, step, "streaming", "null", 1)) {
                    return new StoredStep(false, false, "null", List.of(), 1, false);
                }
                row = row(c, session, step, true); // null only when a forget removed it in between: insert again
            }
            if (row.sealed()) {
                return row.view(null, false);
            }
            deleteChunks(c, session, step);
            int next = row.attempt() + 1;
            update(c, "UPDATE " + steps + " SET attempt = ?, chunk_count = 0, recorded_at_ms = ? WHERE session = ?"
                    + " AND step = ?", next, System.currentTimeMillis(), session, step);
            return new StoredStep(false, false, "null", List.of(), next, false);
        });
    }

    @Override
    public void append(String session, String step, int attempt, List<String> chunksJson) {
        transaction(c -> {
            Row row = current(c, session, step, attempt);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + chunks
                    + " (session, step, idx, chunk) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < chunksJson.size(); i++) {
                    ps.setString(1, session);
                    ps.setString(2, step);
                    ps.setInt(3, row.chunkCount() + i);
                    ps.setString(4, chunksJson.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            update(c, "UPDATE " + steps + " SET chunk_count = ? WHERE session = ? AND step = ?",
                    row.chunkCount() + chunksJson.size(), session, step);
            return null;
        });
    }

    @Override
    public StoredStep complete(String session, String step, int attempt) {
        return transaction(c -> {
            Row row = row(c, session, step, true);
            if (row != null && row.sealed()) {
                return row.view(null, false);
            }
            current(c, session, step, attempt);
            update(c, "UPDATE " + steps + " SET status = 'completed' WHERE session = ? AND step = ?", session, step);
            return new StoredStep(true, false, "null", null, attempt, true);
        });
    }

    @Override
    public int forget(String session, String prefix) {
        int chars = prefix.codePointCount(0, prefix.length());
        return transaction(c -> {
            update(c, "DELETE FROM " + chunks + " WHERE session = ? AND substr(step, 1, ?) = ?", session, chars, prefix);
            return update(c, "DELETE FROM " + steps + " WHERE session = ? AND substr(step, 1, ?) = ?", session, chars,
                    prefix);
        });
    }

    @Override
    public void close() {
        if (shared != null) {
            try {
                shared.close();
            } catch (SQLException e) {
                throw new JournalException("cannot close the journal: " + e.getMessage(), e);
            }
        }
    }

    /** A step's row. */
    private record Row(String status, String result, int attempt, int chunkCount) {
        boolean sealed() {
            return !"streaming".equals(status);
        }

        StoredStep view(List<String> chunks, boolean created) {
            return new StoredStep(sealed(), "failed".equals(status), result, chunks, attempt, created);
        }
    }

    private Row row(Connection c, String session, String step, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, result, attempt, chunk_count FROM " + steps
                + " WHERE session = ? AND step = ?" + (lock ? forUpdate : ""))) {
            ps.setString(1, session);
            ps.setString(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)) : null;
            }
        }
    }

    private Row current(Connection c, String session, String step, int attempt) throws SQLException {
        Row row = row(c, session, step, true);
        if (row == null || row.sealed() || row.attempt() != attempt) {
            throw new JournalConflictException("step " + step + " of session " + session + " is no longer at stream"
                    + " attempt " + attempt + ": another writer restarted, completed or forgot it", null);
        }
        return row;
    }

    private List<String> readChunks(Connection c, String session, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chunk FROM " + chunks
                + " WHERE session = ? AND step = ? ORDER BY idx")) {
            ps.setString(1, session);
            ps.setString(2, step);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Inserts the step unless it has a row; true when it did. */
    private boolean insert(Connection c, String session, String step, String status, String result, int attempt)
            throws SQLException {
        return update(c, "INSERT INTO " + steps + " (session, step, status, result, attempt, chunk_count,"
                + " recorded_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (session, step) DO NOTHING", session, step,
                status, result, attempt, System.currentTimeMillis()) == 1;
    }

    private void deleteChunks(Connection c, String session, String step) throws SQLException {
        update(c, "DELETE FROM " + chunks + " WHERE session = ? AND step = ?", session, step);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T transaction(Work<T> work) {
        if (shared != null) {
            sharedLock.lock();
            try {
                return inTransaction(shared, work);
            } finally {
                sharedLock.unlock();
            }
        }
        try (Connection c = source.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException e) {
            throw new JournalException("journal storage failed: " + e.getMessage(), e);
        }
    }

    private static <T> T inTransaction(Connection c, Work<T> work) {
        try {
            c.setAutoCommit(false);
            try {
                T value = work.run(c);
                c.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new JournalException("journal storage failed: " + e.getMessage(), e);
        }
    }
}
