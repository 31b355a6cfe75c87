package io.myelin.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.myelin.auth.AccessPolicy;
import io.myelin.auth.ApiKeys;
import io.myelin.auth.KeyManagement;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.axon.Axons;
import io.myelin.broker.AgentGroupReaper;
import io.myelin.broker.BrokerFactory;
import io.myelin.broker.BrokerOptions;
import io.myelin.broker.BrokerStates;
import io.myelin.broker.LocalAgentLauncher;
import io.myelin.broker.LocalBrokerFactory;
import io.myelin.broker.RecordingAgentLauncher;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.Idempotency;
import io.myelin.server.config.ServerConfig;
import io.myelin.server.http.ConnectionLimits;
import io.myelin.server.http.HandlerChain;
import io.myelin.server.http.JettyServer;
import io.myelin.server.http.RequestLimits;
import io.myelin.server.http.Router;
import io.myelin.server.routes.AxonRoutes;
import io.myelin.server.routes.BrokerRoutes;
import io.myelin.server.routes.EventRoutes;
import io.myelin.server.routes.HealthRoutes;
import io.myelin.server.routes.IntentRoutes;
import io.myelin.server.routes.KeyRoutes;
import io.myelin.intent.Intents;
import io.myelin.journal.Journals;
import io.myelin.server.routes.JournalRoutes;
import io.myelin.server.routes.SqlRoutes;
import io.myelin.server.routes.SseRoute;
import io.myelin.axonsql.AxonSql;
import io.myelin.devbox.Devboxes;
import io.myelin.devbox.LocalDevboxHost;
import io.myelin.server.routes.DevboxRoutes;
import io.myelin.server.routes.WebhookRoutes;
import io.myelin.webhook.WebhookSender;
import io.myelin.webhook.Webhooks;
import io.myelin.storage.DataDir;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.stream.EventLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring: the one place where storage, engine, auth and HTTP are built and connected. Nothing else constructs
 * these parts, and nothing looks them up: each gets what it needs through its constructor.
 */
public final class MyelinServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MyelinServer.class);
    public static final String VERSION = readVersion();

    private final ServerConfig config;
    private final SqliteStores storage;
    private final ScheduledExecutorService maintenance;
    private final EventLog events;
    private final AxonSql sql;
    private final Devboxes devboxes;
    private final Intents intents;
    private final LocalBrokerFactory brokers;
    private final WebhookSender webhookSender;
    private final Server jetty;
    private final Router router;
    private final String generatedAdminKey;
    private volatile boolean ready;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MyelinServer(ServerConfig config, SqliteStores storage, ScheduledExecutorService maintenance,
                         EventLog events, AxonSql sql, Devboxes devboxes, Intents intents, LocalBrokerFactory brokers,
                         WebhookSender webhookSender, Server jetty, Router router, String generatedAdminKey) {
        this.config = config;
        this.storage = storage;
        this.maintenance = maintenance;
        this.events = events;
        this.sql = sql;
        this.devboxes = devboxes;
        this.intents = intents;
        this.brokers = brokers;
        this.webhookSender = webhookSender;
        this.jetty = jetty;
        this.router = router;
        this.generatedAdminKey = generatedAdminKey;
    }

    /** Starts a server whose devboxes run their broker mounts with the local broker ({@link LocalBrokerFactory}). */
    public static MyelinServer start(ServerConfig config) {
        return start(config, null);
    }

    /**
     * Starts a server.
     *
     * @param brokers starts the brokers of devbox mounts; null for the local broker ({@link LocalBrokerFactory})
     */
    public static MyelinServer start(ServerConfig config, BrokerFactory brokers) {
        SqliteStores storage = SqliteStores.open(config.storage());
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("myelin-maintenance").daemon(true).unstarted(r));
        AxonSql sql = null;
        Devboxes devboxes = null;
        Intents intents = null;
        LocalBrokerFactory ownBrokers = null;
        WebhookSender webhookSender = null;
        try {
            ApiKeys keys = ApiKeys.load(storage.keys(), config.storage().clock());
            String generated = bootstrapAdminKey(config, keys);
            Idempotency idempotency = new Idempotency(storage.requests(), config.streamLimits().idempotencyRetentionMs(),
                    config.storage().clock());
            maintenance.scheduleWithFixedDelay(() -> expire(idempotency), 1, 10, TimeUnit.MINUTES);
            AccessPolicy policy = new AccessPolicy();
            KeyManagement keyManagement = new KeyManagement(keys, policy, config.keys());
            Axons axons = Axons.load(storage.axons(), config.axonLimits(), policy);
            EventLog events = new EventLog(storage.events(), storage.commits(), axons, config.streamLimits());
            // Per-axon SQL databases live under <data-dir>/sql, apart from myelin.db. Existence is re-checked in
            // the axon's SQL lane, and deletion queues the drop there (the listener runs on the writer thread and
            // must not block); databases of axons deleted while the server was down are removed before serving.
            ConnectionLimits connections = fitConnections(config.connections());
            sql = new AxonSql(config.dataDir().resolve(DataDir.SQL_DIR), fitToDescriptorLimit(config, connections),
                    id -> axons.index().find(id) != null, storage.health());
            AxonSql sqlStore = sql;
            axons.onDelete(live -> sqlStore.dropAsync(live.id()));
            List<String> orphans = sql.dropAllExcept(id -> axons.index().find(id) != null);
            if (!orphans.isEmpty()) {
                log.info("removed {} SQL databases of deleted axons", orphans.size());
            }
            // Timers that fell due while the server was down fire from here on, before it answers.
            intents = new Intents(storage.intents(), axons.index(), events, policy, config.intents(),
                    config.storage().clock());
            BrokerStates brokerStates = new BrokerStates(storage.brokers(), axons.index());
            // Agents a killed server left running go before any is started again on their workspaces.
            int reaped = AgentGroupReaper.reap(storage.agentGroups());
            if (reaped > 0) {
                log.info("killed {} agent process groups left by the last server", reaped);
            }
            LocalBrokerFactory localBrokers = new LocalBrokerFactory(events, brokerStates, intents,
                    new RecordingAgentLauncher(new LocalAgentLauncher(), storage.agentGroups()),
                    BrokerOptions.defaults(config.streamLimits().maxPayloadBytes(), config.storage().clock())
                            .withHandshakeTimeout(config.devboxes().agentStartTimeout())
                            .withCancelTimeout(config.devboxes().agentCancelTimeout())
                            .withStopGrace(config.devboxes().stopTimeout()));
            ownBrokers = localBrokers;
            // Devboxes found unfinished start again here, before the server answers: their brokers publish on
            // axons, which exist by now.
            devboxes = Devboxes.start(storage.devboxes(), events, axons.index(), config.axonLimits(), policy,
                    brokers != null ? brokers : localBrokers, new LocalDevboxHost(config.devboxes().root()),
                    config.devboxes(), config.storage().clock());
            MemoryBudget answers = answerBudget(config);
            PrometheusMeterRegistry metrics = ServerMetrics.create(axons, events, storage);
            ServerMetrics.bindDevboxes(metrics, devboxes);
            ServerMetrics.bindBrokers(metrics, localBrokers);
            ServerMetrics.bindIntents(metrics, intents);
            ServerMetrics.bindSql(metrics, sql);
            ServerMetrics.bindStorage(metrics, storage.health());
            ServerMetrics.bindAnswers(metrics, answers);

            Router router = new Router();
            MyelinServer[] self = new MyelinServer[1];
            java.util.Map<String, Path> onDemand = new java.util.LinkedHashMap<>();
            onDemand.put("Axon SQL", config.dataDir().resolve(DataDir.SQL_DIR));
            onDemand.put("devboxes.root", config.devboxes().root());
            WritableDirs dirs = new WritableDirs(onDemand);
            new HealthRoutes(() -> self[0] == null || !self[0].ready ? "the server is starting or stopping"
                    : storage.health().reason() != null ? storage.health().reason() : dirs.problem(), VERSION,
                    metrics).register(router);
            new AxonRoutes(axons, answers).register(router);
            new EventRoutes(events, config.axonLimits().maxListLimit(), answers).register(router);
            new SseRoute(events, keys, answers, config.sseIdleTimeout(), config.sseHeartbeat()).register(router);
            new SqlRoutes(sql, axons.index(), idempotency, answers).register(router);
            new DevboxRoutes(devboxes, config.devboxes().waitTimeout(), answers).register(router);
            new BrokerRoutes(brokerStates, events).register(router);
            // The sender resumes what the table holds (deliveries a stop or crash left pending) before serving.
            webhookSender = new WebhookSender(storage.webhooks(), config.webhooks(), config.storage().clock());
            ServerMetrics.bindWebhooks(metrics, webhookSender);
            new WebhookRoutes(new Webhooks(storage.webhooks(), webhookSender, axons.index(), config.webhooks(),
                    config.streamLimits().maxEventTypeChars(), config.storage().clock()),
                    config.axonLimits().maxListLimit()).register(router);
            webhookSender.start();
            new IntentRoutes(intents, answers).register(router);
            new JournalRoutes(new Journals(storage.journal(), axons.index(), config.journal()), answers)
                    .register(router);
            new KeyRoutes(keyManagement, answers).register(router);

            Server jetty = JettyServer.create(config.host(), config.port(), connections,
                    HandlerChain.of(router, keys, policy, new RequestLimits(config.maxBodyBytes(),
                            config.streamLimits().maxIdempotencyKeyChars(), config.bodyTimeout())),
                    config.requestLog());
            self[0] = new MyelinServer(config, storage, maintenance, events, sql, devboxes, intents, localBrokers,
                    webhookSender, jetty, router, generated);
            jetty.start();
            self[0].ready = true;
            return self[0];
        } catch (Exception e) {
            if (webhookSender != null) {
                webhookSender.close();
            }
            if (devboxes != null) {
                devboxes.close();
            }
            if (ownBrokers != null) {
                ownBrokers.close();
            }
            if (intents != null) {
                intents.close();
            }
            if (sql != null) {
                sql.close();
            }
            maintenance.shutdownNow();
            storage.close();
            if (e instanceof MyelinException me) throw me;
            String where = config.host() + ":" + config.port();
            String cause = bindFailure(e)
                    ? where + " is already in use (another server is listening there): stop it or choose another --port"
                    : e.getMessage();
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot start on " + where + ": " + cause, e);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each open Axon SQL database holds three file descriptors (database, -wal, -shm). When the process may open
     * fewer than the configured cap needs — next to the connections (at most {@code http.max-connections}) and the
     * server's own files — lower the cap to fit, so the least recently used databases are closed instead of opens
     * failing.
     */
    private static io.myelin.axonsql.SqlLimits fitToDescriptorLimit(ServerConfig config, ConnectionLimits connections) {
        io.myelin.axonsql.SqlLimits limits = config.sql();
        if (!(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return limits;
        }
        long max = os.getMaxFileDescriptorCount();
        long reserved = 256 + Math.min(connections.maxConnections(), max / 2);
        int fits = (int) Math.max(16, Math.min(Integer.MAX_VALUE, (max - reserved) / 3));
        if (fits >= limits.maxOpenDatabases()) {
            return limits;
        }
        log.warn("sql.max-open-databases lowered from {} to {}: the process may open {} files (ulimit -n), each open "
                + "SQL database takes 3, and {} are kept for connections and the server", limits.maxOpenDatabases(),
                fits, max, reserved);
        return limits.toBuilder().maxOpenDatabases(fits).build();
    }

    /** The configured connection limits, with the cap lowered to what the process's file descriptors allow. */
    private static ConnectionLimits fitConnections(ConnectionLimits configured) {
        return new ConnectionLimits(JettyServer.fitToDescriptorLimit(configured.maxConnections()),
                configured.headerTimeout(), configured.idleTimeout());
    }

    /** Deletes expired idempotency keys; a maintenance task, so it catches and logs everything. */
    private static void expire(Idempotency idempotency) {
        try {
            long n = idempotency.expireOnce();
            if (n > 0) {
                log.info("expired {} idempotency keys", n);
            }
        } catch (RuntimeException e) {
            log.warn("idempotency key expiry failed; will retry: {}", e.getMessage());
        }
    }

    /**
     * The budget for answers held in memory while clients read them: {@code limits.response-memory}, but no more
     * than a quarter of the heap, so that slow readers alone can never exhaust it — and never less than the largest
     * single answer, which must always be servable.
     */
    private static MemoryBudget answerBudget(ServerConfig config) {
        long configured = config.responseMemory();
        long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
        long largest = Math.max(config.sql().maxResultBytes(), config.streamLimits().maxPageBytes());
        long capacity = Math.max(largest, Math.min(configured, quarterHeap));
        if (capacity < configured) {
            log.info("limits.response-memory lowered from {} to {} bytes: a quarter of the JVM heap ({} bytes)",
                    configured, capacity, Runtime.getRuntime().maxMemory());
        }
        if (capacity > quarterHeap) {
            log.warn("the JVM heap ({} bytes) is small for answers of up to {} bytes (sql.max-result-bytes,"
                    + " limits.max-page-bytes): give the server more heap (-Xmx) or lower those limits",
                    Runtime.getRuntime().maxMemory(), largest);
        }
        return new MemoryBudget(capacity, "limits.response-memory");
    }

    private static String bootstrapAdminKey(ServerConfig config, ApiKeys keys) throws IOException {
        if (config.adminKey() != null) {
            keys.setAdminKey(config.adminKey());
            return null;
        }
        if (!keys.isEmpty()) {
            return null;
        }
        String key = ApiKeys.generate();
        keys.setAdminKey(key);
        AdminKeyFile.write(config.dataDir(), key);
        return key;
    }

    /** The admin key generated at this start (a new data dir with no configured key), else null. */
    public String generatedAdminKey() {
        return generatedAdminKey;
    }

    /** Every route the server answers, as registered: for tests that must reach each one. */
    public List<Router.Declared> routes() {
        return router.routes();
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public URI uri() {
        return URI.create("http://" + config.host() + ":" + port());
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public ServerConfig config() {
        return config;
    }

    /** Starts brokers on this server's axons (devbox mounts); closed with the server. */
    public BrokerFactory brokers() {
        return brokers;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting, ends open streams, finishes queued writes, closes storage. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready = false;
        devboxes.close(); // before the streams and the storage: stopping brokers may still publish
        brokers.close(); // turns still running fail now, while the log can still take their events
        intents.close(); // no timer fires into a closing writer
        events.close();
        try {
            jetty.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // Clients that keep a connection (a stream reconnecting, a long poll) past the graceful stop's 2 s: closed.
            log.info("HTTP stop: connections still open after the graceful stop's 2 s were closed");
        } catch (Exception e) {
            log.warn("HTTP stop: {}", e.toString());
        }
        webhookSender.close(); // attempts cut short stay pending for the next start
        sql.close();
        maintenance.shutdownNow();
        storage.close();
    }

    private static String readVersion() {
        try (InputStream in = MyelinServer.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
