package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

/**
 * The server-owned SQLite database ({@code <dataDir>/myelin.db}): axons, events, idempotency keys, API keys.
 *
 * <p>Opening it creates the file on first use and switches it to WAL there (the journal mode is persistent, so it
 * is set once, not on every open), migrates the schema with Flyway, then hands out one write connection to the
 * {@link GroupCommitWriter} and read-only connections to the {@link ReadPool}. Every connection runs with
 * {@code synchronous=FULL}: a commit returns only after the WAL is fsync'd.
 */
public final class Storage implements AutoCloseable {
    private final Path file;
    private final Connection writeConnection;
    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final WalCheckpointer checkpointer;

    private Storage(Path file, Connection writeConnection, GroupCommitWriter writer, ReadPool reads,
                    WalCheckpointer checkpointer) {
        this.file = file;
        this.writeConnection = writeConnection;
        this.writer = writer;
        this.reads = reads;
        this.checkpointer = checkpointer;
    }

    public static Storage open(StorageOptions options) {
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot create data dir " + options.dataDir() + ": " + e, e);
        }
        Path file = options.dataDir().resolve("myelin.db");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                    st.execute("PRAGMA journal_mode=WAL");
                }
            }
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

            Connection wc = open(url, false);
            try (Statement st = wc.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint=0"); // see WalCheckpointer
                st.execute("PRAGMA journal_size_limit=67108864");
            }
            GroupCommitWriter writer = new GroupCommitWriter(wc, options.writeQueue(), options.maxGroupWeight(),
                    TimeUnit.MICROSECONDS.toNanos(options.maxGroupWaitMicros()));
            ReadPool reads = new ReadPool(options.readThreads(), () -> {
                try {
                    return open(url, true);
                } catch (SQLException e) {
                    throw new MyelinException(ErrorKind.INTERNAL, null, "cannot open read connection: " + e, e);
                }
            });
            writer.start();
            return new Storage(file, wc, writer, reads, new WalCheckpointer(open(url, false), 200));
        } catch (SQLException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(String url, boolean readOnly) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "10000");
        p.setProperty("synchronous", "FULL");
        p.setProperty("foreign_keys", "false");
        if (readOnly) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        }
        Connection c = DriverManager.getConnection(url, p);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA cache_size=-16000");
            if (readOnly) {
                st.execute("PRAGMA query_only=1");
            }
        }
        return c;
    }

    public GroupCommitWriter writer() {
        return writer;
    }

    public ReadPool reads() {
        return reads;
    }

    public Path file() {
        return file;
    }

    /** Finishes queued writes, then closes every connection. */
    @Override
    public void close() {
        writer.close();
        reads.close();
        checkpointer.close();
        try {
            writeConnection.close();
        } catch (SQLException ignored) {
            // shutting down
        }
    }
}
