package io.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.myelin.auth.ApiKeys;
import io.myelin.axon.AxonLimits;
import io.myelin.intent.IntentLimits;
import io.myelin.error.MyelinException;
import io.myelin.axonsql.SqlLimits;
import io.myelin.devbox.AgentBinary;
import io.myelin.devbox.DevboxOptions;
import io.myelin.server.http.ConnectionLimits;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.StreamLimits;
import io.myelin.text.Durations;
import io.myelin.text.Utf8;
import io.myelin.webhook.WebhookOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@link ServerConfig}: defaults, then the YAML file, then {@code MYELIN_*} environment variables, then
 * flags. Unknown YAML keys and malformed values are errors that name the key, so a typo never silently falls back
 * to a default.
 */
public final class ConfigLoader {
    private final Map<String, String> values = new HashMap<>();

    public ConfigLoader() {
        for (Setting s : Settings.ALL) {
            values.put(s.key(), s.defaultValue());
        }
    }

    public ConfigLoader yaml(Path file) {
        if (file == null) {
            return this;
        }
        JsonNode root;
        try {
            byte[] bytes = Files.readAllBytes(file);
            // The YAML parser would decode malformed UTF-8 leniently; a config value must mean what its bytes say.
            Utf8.Malformed bad = Utf8.firstMalformed(bytes, 0, bytes.length);
            if (bad != null) {
                throw MyelinException.invalid("config", "config file " + file + " is not valid UTF-8: " + bad);
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
        } catch (IOException e) {
            throw MyelinException.invalid("config", "cannot read config file " + file + ": " + e.getMessage());
        }
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw MyelinException.invalid("config", "config file " + file + " must hold a mapping of settings");
            }
            flatten("", root, file);
        }
        return this;
    }

    private void flatten(String prefix, JsonNode node, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey().replace('_', '-');
            if (Settings.STRUCTURED.contains(key)) {
                // Kept whole: its own names (agent and blueprint names) are not setting keys.
                set(key, e.getValue().isNull() ? "" : e.getValue().toString(), "config file " + file);
            } else if (e.getValue().isObject()) {
                flatten(key + ".", e.getValue(), file);
            } else if (e.getValue().isArray()) {
                set(key, list(key, e.getValue(), file), "config file " + file);
            } else {
                set(key, e.getValue().asText(), "config file " + file);
            }
        }
    }

    /**
     * A YAML list of scalars as the comma-separated text the environment and flags give (only list settings accept
     * it; any other reports the commas as a malformed value).
     */
    private static String list(String key, JsonNode array, Path file) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isValueNode() || item.isNull() || item.asText().contains(",")) {
                throw MyelinException.invalid(key, key + " in config file " + file + " is a list whose entries must be"
                        + " plain values without commas");
            }
            items.add(item.asText());
        }
        return String.join(",", items);
    }

    public ConfigLoader env(Map<String, String> env) {
        for (Setting s : Settings.ALL) {
            String v = env.get(s.envName());
            if (v != null) {
                values.put(s.key(), v);
            }
        }
        return this;
    }

    /** A flag value; {@code null} means the flag was not given. */
    public ConfigLoader flag(String key, Object value) {
        if (value != null) {
            set(key, value.toString(), "flag");
        }
        return this;
    }

    private void set(String key, String value, String origin) {
        if (Settings.byKey(key) == null) {
            throw MyelinException.invalid(key, "unknown setting '" + key + "' in " + origin);
        }
        values.put(key, value);
    }

    public String raw(String key) {
        return values.get(key);
    }

    public ServerConfig build() {
        for (String key : new String[] {"host", "data-dir", "admin-key"}) {
            refuseReplacementCharacter(key);
        }
        StreamLimits streams = new StreamLimits(
                integer("limits.max-payload-bytes"), integer("limits.max-event-type-chars"),
                integer("limits.max-source-chars"), integer("limits.max-batch-events"),
                integer("limits.max-idempotency-key-chars"), duration("idempotency.retention").toMillis(),
                integer("sse.subscriber-buffer"), integer("sse.max-per-axon"), integer("sse.max-connections"),
                longValue("limits.max-page-bytes"), integer("sse.fanout-queue"));
        AxonLimits axons = new AxonLimits(integer("limits.max-name-chars"), integer("limits.max-metadata-keys"),
                integer("limits.max-metadata-key-chars"), integer("limits.max-metadata-value-chars"),
                integer("limits.max-list-limit"), longValue("limits.max-page-bytes"));
        Path dataDir = Path.of(values.get("data-dir")).toAbsolutePath().normalize();
        StorageOptions storage = new StorageOptions(dataDir, integer("storage.read-threads"),
                integer("storage.read-queue"), duration("storage.read-timeout"), integer("storage.write-queue"),
                duration("storage.write-timeout"), integer("storage.max-group-events"), java.time.InstantSource.system());
        String adminKey = values.get("admin-key");
        if (adminKey != null && !adminKey.isBlank()) {
            ApiKeys.checkAdminKey(adminKey);
        }
        int port = integer("port");
        if (port > 65535) {
            throw MyelinException.invalid("port", "port must be 0..65535, got " + port);
        }
        SqlLimits sql = sqlLimits();
        long responseMemory = longValue("limits.response-memory");
        long largest = Math.max(sql.maxResultBytes(), longValue("limits.max-page-bytes"));
        if (responseMemory < largest) {
            throw MyelinException.invalid("limits.response-memory", "limits.response-memory (" + responseMemory
                    + ") must be at least the largest single answer: sql.max-result-bytes and limits.max-page-bytes ("
                    + largest + ")");
        }
        DevboxOptions devboxes = devboxes(dataDir);
        IntentLimits intents = intents(axons);
        return new ServerConfig(values.get("host"), port, dataDir, adminKey == null || adminKey.isBlank() ? null : adminKey,
                duration("sse.idle-timeout"), duration("sse.heartbeat"), integer("limits.max-body-bytes"),
                duration("http.body-timeout"), axons, streams, storage, sql, responseMemory, bool("http.request-log"),
                devboxes, connections(devboxes, intents), intents, webhooks());
    }

    private WebhookOptions webhooks() {
        List<Duration> schedule = new ArrayList<>();
        String text = values.get("webhooks.retry-schedule").trim();
        for (String entry : text.split(",", -1)) {
            String e = entry.trim();
            try {
                schedule.add(e.matches("0+(\\.0+)?(us|ms|s|m|h|d)?") ? Duration.ZERO : Durations.parse(e));
            } catch (IllegalArgumentException ex) {
                throw MyelinException.invalid("webhooks.retry-schedule", "webhooks.retry-schedule entry '" + e + "': "
                        + ex.getMessage());
            }
        }
        if (schedule.size() > WebhookOptions.MAX_ATTEMPTS) {
            throw MyelinException.invalid("webhooks.retry-schedule", "webhooks.retry-schedule has " + schedule.size()
                    + " entries, at most " + WebhookOptions.MAX_ATTEMPTS);
        }
        return new WebhookOptions(schedule, duration("webhooks.attempt-timeout"),
                bool("webhooks.allow-private-targets"), integer("webhooks.max-concurrent-attempts"),
                integer("webhooks.max-webhooks"));
    }

    private IntentLimits intents(AxonLimits axons) {
        IntentLimits limits = new IntentLimits(integer("intents.max-payload-bytes"), integer("intents.max-text-chars"),
                duration("intents.max-horizon"), duration("intents.min-remind-every"), duration("intents.max-wait"),
                axons.maxPageBytes(), axons.maxListLimit(), integer("intents.max-waiters"));
        if (limits.minRemindEvery().toMillis() < 1 || limits.maxHorizon().compareTo(limits.minRemindEvery()) < 0) {
            throw MyelinException.invalid("intents.min-remind-every", "intents.min-remind-every must be at least 1ms"
                    + " and at most intents.max-horizon, got " + values.get("intents.min-remind-every"));
        }
        return limits;
    }

    /**
     * The connection limits. A connection carrying a request may legitimately stay silent for an SSE heartbeat
     * interval or a whole {@code wait_for_status} long poll, so the idle timeout must leave room for both.
     */
    private ConnectionLimits connections(DevboxOptions devboxes, IntentLimits intents) {
        Duration header = duration("http.header-timeout");
        Duration idle = duration("http.idle-timeout");
        Duration heartbeat = duration("sse.heartbeat");
        for (String key : new String[] {"http.header-timeout", "http.idle-timeout"}) {
            if (duration(key).toMillis() < 1) {
                throw MyelinException.invalid(key, key + " must be at least 1ms, got " + values.get(key));
            }
        }
        if (idle.compareTo(heartbeat.multipliedBy(2)) < 0 || idle.compareTo(devboxes.waitTimeout()) <= 0
                || idle.compareTo(intents.maxWait()) <= 0) {
            throw MyelinException.invalid("http.idle-timeout", "http.idle-timeout (" + values.get("http.idle-timeout")
                    + ") must be at least twice sse.heartbeat (" + values.get("sse.heartbeat")
                    + ") and longer than devboxes.wait-timeout (" + values.get("devboxes.wait-timeout")
                    + ") and intents.max-wait (" + values.get("intents.max-wait")
                    + "): SSE streams and long polls stay silent that long");
        }
        return new ConnectionLimits(integer("http.max-connections"), header, idle);
    }

    private DevboxOptions devboxes(Path dataDir) {
        refuseReplacementCharacter("devboxes.root");
        String root = values.get("devboxes.root").trim();
        Duration wait = duration("devboxes.wait-timeout");
        if (wait.compareTo(DevboxOptions.MAX_WAIT_TIMEOUT) > 0) {
            throw MyelinException.invalid("devboxes.wait-timeout", "devboxes.wait-timeout must be at most 30s (Runloop's"
                    + " SDK gives its long polls little more), got " + values.get("devboxes.wait-timeout"));
        }
        Map<String, AgentBinary> binaries = DevboxSettings.binaries(values.get("agents.binaries"));
        DevboxOptions defaults = DevboxOptions.defaults(dataDir);
        return new DevboxOptions(root.isEmpty() ? defaults.root() : Path.of(root).toAbsolutePath().normalize(),
                bool("devboxes.keep-workspaces"), bool("devboxes.allow-commands"), duration("devboxes.command-timeout"),
                duration("devboxes.stop-timeout"), duration("agents.start-timeout"),
                duration("agents.cancel-timeout"), wait, integer("devboxes.max-active"), binaries,
                DevboxSettings.blueprints(values.get("devboxes.blueprints"), binaries),
                DevboxSettings.allowedEnvironment(values.get("devboxes.allowed-environment")),
                defaults.idleCheckInterval());
    }

    /**
     * The JVM decodes environment variables and arguments with the platform encoding and puts U+FFFD where bytes do
     * not decode: such a value is not the one the operator wrote (a key that could never match, another directory).
     * A real U+FFFD is no use in a host, a directory or a key either.
     */
    private void refuseReplacementCharacter(String key) {
        String v = values.get(key);
        if (v != null && v.indexOf('\uFFFD') >= 0) {
            throw MyelinException.invalid(key, key + " holds U+FFFD (the replacement character) at character "
                    + v.indexOf('\uFFFD') + ": the JVM writes it for bytes it cannot decode"
                    + " (encoding " + System.getProperty("sun.jnu.encoding", "unknown") + "); set the value as valid text");
        }
    }

    private SqlLimits sqlLimits() {
        try {
            return new SqlLimits(duration("sql.statement-timeout"), integer("sql.max-sql-bytes"),
                    integer("sql.max-params"), integer("sql.max-batch-statements"), integer("sql.max-value-bytes"),
                    longValue("sql.max-database-bytes"), integer("sql.max-rows"), longValue("sql.max-result-bytes"),
                    integer("sql.max-open-databases"), integer("sql.threads"), integer("sql.max-pending"),
                    duration("sql.batch-timeout"), duration("sql.queue-timeout"),
                    integer("sql.max-like-pattern-bytes"), integer("sql.max-expression-depth"),
                    integer("sql.max-compound-select"), integer("sql.max-trigger-depth"),
                    integer("sql.max-expanded-depth"), integer("sql.max-expanded-size"),
                    longValue("sql.thread-stack-size"));
        } catch (IllegalArgumentException e) {
            throw MyelinException.invalid("sql", e.getMessage());
        }
    }

    private long longValue(String key) {
        return number(key, 1, Long.MAX_VALUE);
    }

    private int integer(String key) {
        return (int) number(key, key.equals("port") ? 0 : 1, Integer.MAX_VALUE);
    }

    private long number(String key, long min, long max) {
        String v = values.get(key).trim();
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw MyelinException.invalid(key, key + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw MyelinException.invalid(key, key + " must be between " + min + " and " + max + ", got " + v);
        }
        return n;
    }

    private boolean bool(String key) {
        String v = values.get(key).trim();
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MyelinException.invalid(key, key + " must be true or false, got '" + v + "'");
        };
    }

    private Duration duration(String key) {
        String v = values.get(key).trim();
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw MyelinException.invalid(key, key + ": " + e.getMessage());
        }
    }
}
