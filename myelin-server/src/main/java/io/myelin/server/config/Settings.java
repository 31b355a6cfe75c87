package io.myelin.server.config;

import io.myelin.axon.AxonLimits;
import io.myelin.axonsql.SqlLimits;
import io.myelin.devbox.DevboxOptions;
import io.myelin.intent.IntentLimits;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.StreamLimits;
import io.myelin.text.Durations;
import io.myelin.webhook.WebhookOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every setting the server reads, with its default and meaning. README's configuration table mirrors this list.
 *
 * <p>Engine limits have one source for their defaults: the engine's own records ({@link StreamLimits#DEFAULTS},
 * {@link AxonLimits#DEFAULTS}, {@link SqlLimits#defaults()}, {@link StorageOptions#defaults}); this table shows them
 * as text, so a server with no configuration runs with exactly what an embedded engine gets.
 */
public final class Settings {
    private Settings() {}

    private static final StreamLimits STREAM = StreamLimits.DEFAULTS;
    private static final AxonLimits AXON = AxonLimits.DEFAULTS;
    private static final SqlLimits SQL = SqlLimits.defaults();
    private static final StorageOptions STORAGE = StorageOptions.defaults(Path.of("."));
    private static final DevboxOptions DEVBOXES = DevboxOptions.defaults(Path.of("."));
    private static final WebhookOptions WEBHOOKS = WebhookOptions.DEFAULTS;
    private static final IntentLimits INTENTS = IntentLimits.DEFAULTS;

    /**
     * Settings whose value is a mapping rather than one scalar: in the YAML file a nested mapping (kept whole, not
     * split into dotted keys), in the environment or a flag the same mapping as JSON (or YAML flow) text.
     */
    public static final Set<String> STRUCTURED = Set.of("agents.binaries", "devboxes.blueprints");

    public static final List<Setting> ALL = List.of(
            new Setting("host", "127.0.0.1", "address to listen on"),
            new Setting("port", "7777", "TCP port to listen on (0: pick a free one)"),
            new Setting("data-dir", "./myelin-data", "directory holding all durable state"),
            new Setting("admin-key", "", "admin API key, at least 32 printable ASCII characters without whitespace; when empty and the data dir is new, one is generated into <data-dir>/admin.key"),
            new Setting("sse.idle-timeout", "5m", "an SSE stream that delivered no event for this long gets `event: error` 408 and is closed"),
            new Setting("sse.heartbeat", "15s", "interval of SSE comment heartbeats"),
            new Setting("sse.max-connections", n(STREAM.maxSubscribers()), "open SSE streams in total"),
            new Setting("sse.max-per-axon", n(STREAM.maxSubscribersPerAxon()), "open SSE streams per axon"),
            new Setting("sse.fanout-queue", n(STREAM.fanoutQueue()), "committed batches that may wait for the fan-out thread; beyond it their subscribers re-read from storage"),
            new Setting("sse.subscriber-buffer", n(STREAM.subscriberBuffer()), "live events buffered per SSE stream before it falls back to reading storage"),
            new Setting("limits.max-body-bytes", "2097152", "largest request body"),
            new Setting("http.body-timeout", "30s", "a request body that sends no bytes for this long is answered 408"),
            new Setting("http.max-connections", "4096", "open connections at once (HTTP/1.1 and HTTP/2); one more is accepted only once another closes. Lowered at start to half the process's file descriptor limit (`ulimit -n`) less 256 when that is smaller"),
            new Setting("http.header-timeout", "20s", "a connection without a request in progress (a new one that has not sent a complete request head, a kept-alive one between requests) that sends nothing for this long is closed without an answer"),
            new Setting("http.idle-timeout", "90s", "a connection with a request in progress that sends and receives nothing for this long is closed (a client that stopped reading its answer); at least twice `sse.heartbeat` and longer than `devboxes.wait-timeout` and `intents.max-wait`"),
            new Setting("http.request-log", "false", "log one INFO line per request on logger `io.myelin.request`: method, path, status, duration, bytes, key id, request id, acting user (never the key, the query or a body)"),
            new Setting("limits.max-payload-bytes", n(STREAM.maxPayloadBytes()), "largest event payload (UTF-8 bytes)"),
            new Setting("limits.max-event-type-chars", n(STREAM.maxEventTypeChars()), "longest event_type"),
            new Setting("limits.max-source-chars", n(STREAM.maxSourceChars()), "longest source"),
            new Setting("limits.max-batch-events", n(STREAM.maxBatchEvents()), "most events in one batch publish"),
            new Setting("limits.max-name-chars", n(AXON.maxNameChars()), "longest axon name"),
            new Setting("limits.max-metadata-keys", n(AXON.maxMetadataKeys()), "most metadata entries per axon"),
            new Setting("limits.max-metadata-key-chars", n(AXON.maxMetadataKeyChars()), "longest metadata key"),
            new Setting("limits.max-metadata-value-chars", n(AXON.maxMetadataValueChars()), "longest metadata value"),
            new Setting("limits.max-list-limit", n(AXON.maxListLimit()), "largest `limit` on list endpoints"),
            new Setting("limits.max-page-bytes", n(STREAM.maxPageBytes()), "largest history or axon-list page, JSON-encoded; a page that would pass it ends early with `has_more: true`"),
            new Setting("limits.response-memory", "268435456", "bytes of large answers (SQL results, history and list pages, the pages SSE streams are writing) held at once for clients still reading them; beyond it new ones over 64 KiB get 503 with `Retry-After` (smaller ones are always served). Lowered at start to a quarter of the JVM heap when that is smaller"),
            new Setting("limits.max-idempotency-key-chars", n(STREAM.maxIdempotencyKeyChars()), "longest Idempotency-Key"),
            new Setting("idempotency.retention", Durations.format(Duration.ofMillis(STREAM.idempotencyRetentionMs())), "how long a used Idempotency-Key is remembered"),
            new Setting("storage.read-threads", n(STORAGE.readThreads()), "platform threads (one read connection each) serving storage reads"),
            new Setting("storage.read-queue", n(STORAGE.readQueue()), "storage reads that may wait for a read thread; one more gets 503 with `Retry-After`"),
            new Setting("storage.read-timeout", Durations.format(STORAGE.readTimeout()), "longest a request waits for a storage read, then 503"),
            new Setting("storage.write-queue", n(STORAGE.writeQueue()), "writes that may wait for the writer; a writer then waits up to `storage.write-timeout` for room"),
            new Setting("storage.write-timeout", Durations.format(STORAGE.writeTimeout()), "longest a request waits for room in the write queue and then for its write to commit; then 503 \"outcome unknown, retry with the same Idempotency-Key\""),
            new Setting("storage.max-group-events", n(STORAGE.maxGroupWeight()), "most events committed in one group transaction"),
            new Setting("sql.statement-timeout", Durations.format(SQL.statementTimeout()), "time limit of one SQL statement; a statement running longer is interrupted and rolled back"),
            new Setting("sql.max-sql-bytes", n(SQL.maxSqlBytes()), "largest SQL text of one statement (UTF-8 bytes)"),
            new Setting("sql.max-params", n(SQL.maxParams()), "most parameters bound to one SQL statement"),
            new Setting("sql.max-batch-statements", n(SQL.maxBatchStatements()), "most statements in one SQL batch"),
            new Setting("sql.max-value-bytes", n(SQL.maxValueBytes()), "largest TEXT or BLOB value, and largest row, stored or returned"),
            new Setting("sql.max-database-bytes", n(SQL.maxDatabaseBytes()), "largest SQL database of one axon"),
            new Setting("sql.max-rows", n(SQL.maxRows()), "rows returned by one statement before `rows_read_limit_reached`"),
            new Setting("sql.max-result-bytes", n(SQL.maxResultBytes()), "JSON-encoded bytes of rows in one answer (a batch's statements share it) before `rows_read_limit_reached`"),
            new Setting("sql.max-open-databases", n(SQL.maxOpenDatabases()), "per-axon SQL databases kept open; the least recently used are closed first"),
            new Setting("sql.threads", n(SQL.threads()), "platform threads running SQL statements (one statement per axon at a time)"),
            new Setting("sql.max-pending", n(SQL.maxPendingTasks()), "SQL requests queued or running before new ones get 429"),
            new Setting("sql.batch-timeout", Durations.format(SQL.batchTimeout()), "time limit of a whole SQL batch; the statement running when it passes is interrupted and the batch rolled back"),
            new Setting("sql.queue-timeout", Durations.format(SQL.queueTimeout()), "longest a SQL request waits behind the axon's earlier SQL work or for a free SQL thread; then it is answered 503 and never started (safe to retry: its key is released)"),
            new Setting("sql.max-like-pattern-bytes", n(SQL.maxLikePatternBytes()), "largest LIKE or GLOB pattern (UTF-8 bytes, at most 50000); matching recurses once per wildcard and takes time in proportion to pattern size times value size"),
            new Setting("sql.max-expression-depth", n(SQL.maxExpressionDepth()), "deepest SQL expression as written, and deepest nesting of views, CTEs and subqueries SQLite checks itself (at most 1000)"),
            new Setting("sql.max-compound-select", n(SQL.maxCompoundSelect()), "most terms of one compound SELECT: UNION, UNION ALL, INTERSECT, EXCEPT (at most 500)"),
            new Setting("sql.max-trigger-depth", n(SQL.maxTriggerDepth()), "deepest chain of triggers and foreign key actions firing one another (at most 1000)"),
            new Setting("sql.max-expanded-depth", n(SQL.maxExpandedDepth()), "deepest nesting of one statement once the views, CTEs, subqueries and generated columns it reads are pasted into one another (levels: 4 per query, 3 per compound term, 1 per operator)"),
            new Setting("sql.max-expanded-size", n(SQL.maxExpandedSize()), "levels of queries and expressions compiled for one statement, counting each view each time it is read and every trigger it may fire (at least sql.max-expanded-depth)"),
            new Setting("sql.thread-stack-size", n(SQL.threadStackBytes()), "native stack of each SQL thread (bytes); must hold the deepest statement sql.max-like-pattern-bytes, sql.max-compound-select, sql.max-trigger-depth and sql.max-expanded-depth admit, or the server refuses to start"),
            new Setting("agents.binaries", "", "the agents devboxes may run, by the name clients give as a broker mount's `agent_binary`: a mapping of name to the absolute path of the executable, or to a list of the executable and fixed arguments, or to `{command: <path or list>, launch-args: [...]}` where `launch-args` lists the arguments clients may give in a mount's `launch_args`, each exactly (e.g. `{opencode: {command: /usr/local/bin/opencode, launch-args: [acp]}, claude: [/usr/local/bin/claude, --model, sonnet]}`). Any other client argument is refused unless `devboxes.allow-commands`. Empty: devboxes run no agents"),
            new Setting("agents.start-timeout", Durations.format(DEVBOXES.agentStartTimeout()), "how long an agent has to answer each request of the broker's own start-up handshake (ACP `initialize`, `session/new`, `session/load`); past it the agent is killed, `agent.error {type: \"start_timeout\"}` is published, the turn waiting for it fails and the next turn starts a new agent"),
            new Setting("agents.cancel-timeout", Durations.format(DEVBOXES.agentCancelTimeout()), "how long a cancelled turn waits for its agent to end it (ACP `session/cancel`, a Claude `interrupt`); past it the agent is stopped (SIGTERM, SIGKILL after `devboxes.stop-timeout`), `agent.error {type: \"cancel_timeout\"}` is published, the turn ends `turn.completed {stop_reason: \"cancelled\"}` and the next turn starts a new agent, given its conversation back"),
            new Setting("devboxes.root", "", "directory holding one workspace directory per devbox (0700); empty: `<data-dir>/" + DevboxOptions.DEFAULT_ROOT + "`"),
            new Setting("devboxes.keep-workspaces", Boolean.toString(DEVBOXES.keepWorkspaces()), "`true`: keep a devbox's workspace after it shut down"),
            new Setting("devboxes.allow-commands", Boolean.toString(DEVBOXES.allowCommands()), "`true`: clients may send `launch_commands` and `suspend_commands`, shell commands run as the server's user (devboxes are not a sandbox), and with them any `environment_variables` (but `MYELIN_*`) and any `launch_args`"),
            new Setting("devboxes.allowed-environment", "", "the `environment_variables` clients may set on a devbox: names or `*` globs, comma-separated (a list in YAML), e.g. `ANTHROPIC_API_KEY,OPENAI_*`. Any other name is refused (a variable such as `NODE_OPTIONS`, `LD_PRELOAD` or `PATH` runs code in the agent) unless `devboxes.allow-commands`; `MYELIN_*` never. Empty: none"),
            new Setting("devboxes.command-timeout", Durations.format(DEVBOXES.commandTimeout()), "longest one setup or launch command may run; then it is killed and the devbox fails"),
            new Setting("devboxes.stop-timeout", Durations.format(DEVBOXES.stopTimeout()), "how long a stopping agent gets between SIGTERM and SIGKILL: at an idle shutdown, `POST /v1/devboxes/{id}/shutdown` and the server stopping"),
            new Setting("devboxes.wait-timeout", Durations.format(DEVBOXES.waitTimeout()), "longest `wait_for_status` holds a request before answering 408 (at most 30s)"),
            new Setting("devboxes.max-active", n(DEVBOXES.maxActive()), "devboxes that may exist at once without being shut down; one more create gets 429"),
            new Setting("webhooks.retry-schedule", "0s,5s,5m,30m,2h,5h,10h,10h", "the delay before each attempt of a webhook delivery, comma-separated (a list in YAML): the first after the event committed, each next one after the previous attempt failed; each gets ±10% jitter; after the last failed attempt the delivery is `dead`. 1 to " + WebhookOptions.MAX_ATTEMPTS + " entries; the default (Standard Webhooks' schedule) spans about 27.5 hours"),
            new Setting("webhooks.attempt-timeout", Durations.format(WEBHOOKS.attemptTimeout()), "the most one delivery attempt may take, from resolving the target to the answer's status line; past it the attempt failed"),
            new Setting("webhooks.allow-private-targets", Boolean.toString(WEBHOOKS.allowPrivateTargets()), "`true`: webhook URLs may resolve to loopback, private, link-local, unique-local, CGNAT, multicast or unspecified addresses (refused by default, at create and before every attempt: SSRF)"),
            new Setting("webhooks.max-concurrent-attempts", n(WEBHOOKS.maxConcurrentAttempts()), "webhook delivery attempts in flight at once across all webhooks (one per webhook at most, so that each webhook's deliveries arrive in order)"),
            new Setting("webhooks.max-webhooks", n(WEBHOOKS.maxWebhooks()), "webhooks that may exist at once; one more create gets 409"),
            new Setting("intents.max-payload-bytes", n(INTENTS.maxPayloadBytes()), "largest intent `payload` and resolution `result`, as JSON text (UTF-8 bytes); 413 beyond. The whole intent (its view) must also fit in `limits.max-payload-bytes`, as it is the payload of its `intent.*` events (413 naming that setting)"),
            new Setting("intents.max-text-chars", n(INTENTS.maxTextChars()), "longest intent `title`, resolution `comment` and cancel `reason` (characters)"),
            new Setting("intents.max-horizon", Durations.format(INTENTS.maxHorizon()), "how far ahead `fire_at_ms` and `deadline_ms` may lie, and the longest `remind_every_ms`"),
            new Setting("intents.min-remind-every", Durations.format(INTENTS.minRemindEvery()), "the shortest `remind_every_ms`"),
            new Setting("intents.max-wait", Durations.format(INTENTS.maxWait()), "the longest `wait_ms` of `GET /v1/intents/{id}` (a long poll); shorter than `http.idle-timeout`"),
            new Setting("intents.max-waiters", n(INTENTS.maxWaiters()), "long polls parked on intents at once; one more gets 503 with `Retry-After`"),
            new Setting("devboxes.blueprints", "", "blueprints clients may name in `blueprint_name`: a mapping of name to `{setup-commands: [...], agent-binaries: [...], allowed-environment: [...]}`; setup commands run once when a devbox's workspace is created, `agent-binaries` (optional) limits the agents its devboxes may mount, `allowed-environment` (optional) adds names or globs to `devboxes.allowed-environment` for its devboxes"));

    private static String n(long value) {
        return Long.toString(value);
    }

    public static Setting byKey(String key) {
        for (Setting s : ALL) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }
}
