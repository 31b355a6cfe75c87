package io.myelin.storage.sqlite;

import io.myelin.auth.KeyStore;
import io.myelin.axon.AxonStore;
import io.myelin.broker.AgentGroupStore;
import io.myelin.broker.BrokerStateStore;
import io.myelin.devbox.DevboxStore;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.IdempotencyStore;
import io.myelin.intent.IntentStore;
import io.myelin.storage.DataDir;
import io.myelin.storage.OwnerOnly;
import io.myelin.storage.StorageHealth;
import io.myelin.storage.Stores;
import io.myelin.stream.CommitFeed;
import io.myelin.stream.EventStore;
import io.myelin.webhook.WebhookStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteDataSource;

/**
 * The one-node storage adapter: every port of {@link Stores} over one server-owned SQLite database,
 * {@code <dataDir>/myelin.db} (axons, events, request keys, API keys, devboxes, broker state, intents, webhooks and
 * their deliveries). Every line of SQL on it lives in this package.
 *
 * <p>Opening it creates the file (0600) on first use and switches it to WAL there (the journal mode is persistent, so
 * it is set once, not on every open), migrates the schema with Flyway, then hands out one write connection to the
 * {@link GroupCommitWriter} and read-only connections to the {@link ReadPool}. Every connection runs with
 * {@code synchronous=FULL}: a commit returns only after the WAL is fsync'd.
 *
 * <p>Threads it owns: {@code myelin-writer} (every write, in group transactions), {@code myelin-read-*} (reads),
 * {@code myelin-checkpoint} (WAL checkpoints), {@code myelin-purge} (queues the chunks that purge deleted axons'
 * events; the writer never submits to its own queue).
 */
public final class SqliteStores implements Stores {
    private static final Logger log = LoggerFactory.getLogger(SqliteStores.class);

    /**
     * The WAL file size past which the writer runs a RESTART checkpoint between two groups, and the size the file is
     * trimmed to when it is rewound ({@code journal_size_limit}): the two must be equal, see {@link GroupCommitWriter}.
     */
    static final long WAL_RESTART_BYTES = 16L << 20;

    private final Path file;
    private final Connection writeConnection;
    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final WalCheckpointer checkpointer;
    private final StorageHealth health;
    private final ExecutorService purger;
    private final SqliteAxonStore axons;
    private final SqliteEventStore events;
    private final SqliteKeyStore keys;
    private final SqliteIdempotencyStore requests;
    private final SqliteDevboxStore devboxes;
    private final SqliteBrokerStateStore brokers;
    private final SqliteAgentGroupStore agentGroups;
    private final SqliteWebhookStore webhooks;
    private final SqliteIntentStore intents;

    private SqliteStores(Path file, Connection writeConnection, GroupCommitWriter writer, ReadPool reads,
                         WalCheckpointer checkpointer, StorageHealth health) {
        this.file = file;
        this.writeConnection = writeConnection;
        this.writer = writer;
        this.reads = reads;
        this.checkpointer = checkpointer;
        this.health = health;
        this.purger = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("myelin-purge").daemon(true)
                .uncaughtExceptionHandler((t, e) -> log.error("uncaught in {}", t.getName(), e)).unstarted(r));
        RequestKeyTable requestKeys = new RequestKeyTable();
        this.axons = new SqliteAxonStore(writer, reads, requestKeys);
        this.webhooks = new SqliteWebhookStore(writer, reads, requestKeys);
        this.events = new SqliteEventStore(writer, reads, requestKeys, purger, webhooks);
        this.keys = new SqliteKeyStore(writer, reads);
        this.requests = new SqliteIdempotencyStore(writer, requestKeys);
        this.devboxes = new SqliteDevboxStore(writer, reads, requestKeys);
        this.brokers = new SqliteBrokerStateStore(writer, reads, requestKeys);
        this.agentGroups = new SqliteAgentGroupStore(writer, reads);
        this.intents = new SqliteIntentStore(writer, reads, requestKeys, events.appender());
    }

    /**
     * Prepares the data dir ({@link DataDir}), opens and migrates {@code myelin.db}, starts the writer.
     *
     * @throws MyelinException with a one-line message: {@code cannot start: ...} for a data dir that cannot be used,
     *                         {@code cannot open ...} when the database cannot be opened or migrated
     */
    public static SqliteStores open(StorageOptions options) {
        DataDir.prepare(options.dataDir());
        Path file = options.dataDir().resolve("myelin.db");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        StorageHealth health = new StorageHealth(options.dataDir());
        try {
            // An empty file is a valid empty database. Creating it here, 0600, makes SQLite give -wal and -shm the
            // same mode (it copies the database file's mode to its side files). WAL is persistent in the file; it is
            // checked on every open so that a start that died between creating the file and setting it still ends
            // up in WAL.
            OwnerOnly.createFile(file);
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                String mode;
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                    mode = rs.next() ? rs.getString(1) : null;
                }
                if (!"wal".equalsIgnoreCase(mode)) {
                    st.execute("PRAGMA journal_mode=WAL");
                }
            }
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

            Connection wc = open(url, false);
            try (Statement st = wc.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint=0"); // see WalCheckpointer
                st.execute("PRAGMA temp_store=MEMORY"); // per-op savepoints journal in memory, not in temp files
                st.execute("PRAGMA journal_size_limit=" + WAL_RESTART_BYTES);
            }
            java.util.concurrent.locks.Lock checkpointLock = new java.util.concurrent.locks.ReentrantLock();
            GroupCommitWriter writer = new GroupCommitWriter(wc, file.resolveSibling("myelin.db-wal"), WAL_RESTART_BYTES,
                    checkpointLock,
                    options.writeQueue(), options.maxGroupWeight(),
                    options.writeTimeout(), options.clock(), health);
            health.probeWith(() -> ProbeWrite.submit(writer));
            ReadPool reads = new ReadPool(options.readThreads(), options.readQueue(), options.readTimeout(), () -> {
                try {
                    return open(url, true);
                } catch (SQLException e) {
                    throw new MyelinException(ErrorKind.INTERNAL, null, "cannot open read connection: " + e, e);
                }
            });
            writer.start();
            SqliteStores stores = new SqliteStores(file, wc, writer, reads,
                    new WalCheckpointer(open(url, false), 100, checkpointLock), health);
            stores.webhooks.loadSnapshot();
            stores.events.resumePurges();
            return stores;
        } catch (SQLException | IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot open " + file + ": " + e.getMessage(), e);
        } catch (FlywayException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot migrate " + file + ": " + oneLine(e), e);
        }
    }

    /** Flyway's messages span several lines (and repeat the cause); the first line and the root cause say it all. */
    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        return root == e ? first : first + " (" + root.getMessage() + ")";
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

    @Override
    public AxonStore axons() {
        return axons;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public CommitFeed commits() {
        return events;
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public IdempotencyStore requests() {
        return requests;
    }

    @Override
    public DevboxStore devboxes() {
        return devboxes;
    }

    @Override
    public BrokerStateStore brokers() {
        return brokers;
    }

    @Override
    public AgentGroupStore agentGroups() {
        return agentGroups;
    }

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    @Override
    public IntentStore intents() {
        return intents;
    }

    /** The single writer: adapter internals, for metrics and for tests of the group-commit contract. */
    public GroupCommitWriter writer() {
        return writer;
    }

    /** The read pool: adapter internals, for metrics and tests. */
    public ReadPool reads() {
        return reads;
    }

    public Path file() {
        return file;
    }

    /** Whether this node can write; Axon SQL reports its storage failures here too. */
    @Override
    public StorageHealth health() {
        return health;
    }

    /** Finishes queued writes, then closes every connection. */
    @Override
    public void close() {
        health.close(); // no probe write into a closing writer
        purger.shutdownNow();
        writer.close();
        try {
            // Before the checkpointer's final TRUNCATE, which would wait for a write lock this connection holds.
            writeConnection.close();
        } catch (SQLException ignored) {
            // shutting down
        }
        reads.close();
        checkpointer.close();
    }
}
