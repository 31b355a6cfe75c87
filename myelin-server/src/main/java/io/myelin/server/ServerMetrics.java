package io.myelin.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.myelin.axon.Axons;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.axonsql.AxonSql;
import io.myelin.storage.StorageHealth;
import io.myelin.storage.sqlite.GroupCommitWriter;
import io.myelin.storage.sqlite.ReadPool;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.WriterStats;
import io.myelin.stream.EventLog;
import java.util.concurrent.TimeUnit;

/** The Prometheus registry and the engine's gauges and counters, read lazily at scrape time (no hot-path cost). */
final class ServerMetrics {
    private ServerMetrics() {}

    static PrometheusMeterRegistry create(Axons axons, EventLog log, SqliteStores storage) {
        WriterStats writer = storage.writer().stats();
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        Gauge.builder("myelin.axons", axons.index(), i -> i.size()).description("live axons").register(r);
        Gauge.builder("myelin.sse.streams", log, EventLog::openSubscriptions).description("open SSE streams").register(r);
        FunctionCounter.builder("myelin.writer.groups", writer, WriterStats::groups)
                .description("group transactions committed").register(r);
        FunctionCounter.builder("myelin.writer.ops", writer, WriterStats::ops)
                .description("writes committed (a batch publish is one)").register(r);
        FunctionCounter.builder("myelin.writer.wal.restarts", writer, WriterStats::walRestarts)
                .description("RESTART checkpoints the writer ran because the WAL file grew past its bound").register(r);
        Gauge.builder("myelin.writer.queue", storage.writer(), GroupCommitWriter::queued)
                .description("writes waiting for the writer").register(r);
        Gauge.builder("myelin.writer.queue.oldest.seconds", storage.writer(), GroupCommitWriter::oldestQueuedSeconds)
                .description("how long the oldest write not yet taken by the writer has waited").register(r);
        Gauge.builder("myelin.read.queue", storage.reads(), ReadPool::queued)
                .description("storage reads waiting for a read thread").register(r);
        Gauge.builder("myelin.fanout.backlog", log, EventLog::fanoutBacklog)
                .description("committed batches waiting for the fan-out thread").register(r);
        FunctionCounter.builder("myelin.writer.commit.seconds", writer, w -> w.commitNanos() / (double) TimeUnit.SECONDS.toNanos(1))
                .description("time spent in group transactions, including fsync").register(r);
        return r;
    }

    /** 1 while the node can write, 0 while a storage failure keeps it not ready (see {@link StorageHealth}). */
    static void bindStorage(PrometheusMeterRegistry r, StorageHealth health) {
        Gauge.builder("myelin.storage.writable", health, h -> h.writable() ? 1 : 0)
                .description("1 while storage accepts writes, 0 after a storage failure until a probe write succeeds")
                .register(r);
    }

    /** Bytes of answers held in memory for clients still reading them, and the cap. */
    static void bindAnswers(PrometheusMeterRegistry r, MemoryBudget answers) {
        Gauge.builder("myelin.answers.held.bytes", answers, MemoryBudget::used)
                .description("bytes of SQL results and pages held until their clients have read them").register(r);
        Gauge.builder("myelin.answers.capacity.bytes", answers, MemoryBudget::capacity)
                .description("limits.response-memory as applied").register(r);
    }

    /** Webhook delivery attempts: in flight, and made since start by what they left their delivery. */
    static void bindWebhooks(PrometheusMeterRegistry r, io.myelin.webhook.WebhookSender sender) {
        Gauge.builder("myelin.webhooks.attempts.in.flight", sender, io.myelin.webhook.WebhookSender::inFlight)
                .description("webhook delivery attempts in flight").register(r);
        for (io.myelin.webhook.DeliveryStatus s : io.myelin.webhook.DeliveryStatus.values()) {
            io.micrometer.core.instrument.FunctionCounter.builder("myelin.webhooks.attempts", sender, x -> x.attempts(s))
                    .tag("outcome", s == io.myelin.webhook.DeliveryStatus.PENDING ? "failed" : s.wireName())
                    .description("webhook delivery attempts since start: failed (another follows), delivered, dead")
                    .register(r);
        }
    }

    /** Devboxes not shut down on this server. */
    static void bindDevboxes(PrometheusMeterRegistry r, io.myelin.devbox.Devboxes devboxes) {
        Gauge.builder("myelin.devboxes.active", devboxes, io.myelin.devbox.Devboxes::active)
                .description("devboxes supervised by this server (not shut down)").register(r);
    }

    /** Long polls parked on intents ({@code GET /v1/intents/{id}?wait_ms=}). */
    static void bindIntents(PrometheusMeterRegistry r, io.myelin.intent.Intents intents) {
        Gauge.builder("myelin.intents.waiters", intents, io.myelin.intent.Intents::waiting)
                .description("long polls parked on intents (intents.max-waiters)").register(r);
    }

    /** Brokers running on this server (devbox mounts). */
    static void bindBrokers(PrometheusMeterRegistry r, io.myelin.broker.LocalBrokerFactory brokers) {
        Gauge.builder("myelin.brokers", brokers, io.myelin.broker.LocalBrokerFactory::running)
                .description("brokers relaying an axon to an agent process").register(r);
    }

    /** Axon SQL gauges: databases open in the LRU and requests queued or running. */
    static void bindSql(PrometheusMeterRegistry r, AxonSql sql) {
        Gauge.builder("myelin.sql.open.databases", sql, AxonSql::openDatabases)
                .description("per-axon SQL databases open").register(r);
        Gauge.builder("myelin.sql.pending", sql, AxonSql::pendingRequests)
                .description("SQL requests queued or running").register(r);
    }
}
