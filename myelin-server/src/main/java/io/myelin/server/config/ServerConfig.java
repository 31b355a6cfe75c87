package io.myelin.server.config;

import io.myelin.axon.AxonLimits;
import io.myelin.axonsql.SqlLimits;
import io.myelin.devbox.DevboxOptions;
import io.myelin.intent.IntentLimits;
import io.myelin.server.http.ConnectionLimits;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.StreamLimits;
import io.myelin.webhook.WebhookOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's resolved configuration. Built by {@link ConfigLoader} from defaults, the YAML file, the
 * environment and command-line flags (later wins).
 *
 * @param responseMemory bytes of large answers (SQL results, history and list pages) held at once for clients still
 *                       reading them ({@code limits.response-memory})
 * @param requestLog     whether to log one line per request ({@code http.request-log})
 * @param devboxes       how devboxes run ({@code devboxes.*}, {@code agents.binaries})
 * @param connections    connection cap and timeouts ({@code http.max-connections}, {@code http.header-timeout},
 *                       {@code http.idle-timeout})
 * @param intents        the limits on intents ({@code intents.*})
 * @param webhooks       how webhook deliveries are made ({@code webhooks.*})
 */
public record ServerConfig(String host, int port, Path dataDir, String adminKey, Duration sseIdleTimeout,
                           Duration sseHeartbeat, long maxBodyBytes, Duration bodyTimeout, AxonLimits axonLimits,
                           StreamLimits streamLimits, StorageOptions storage, SqlLimits sql, long responseMemory,
                           boolean requestLog, DevboxOptions devboxes, ConnectionLimits connections,
                           IntentLimits intents, WebhookOptions webhooks) {

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, adminKey, sseIdleTimeout, sseHeartbeat, maxBodyBytes, bodyTimeout,
                axonLimits, streamLimits, storage, sql, responseMemory, requestLog, devboxes, connections, intents,
                webhooks);
    }

    /** This configuration with the engine reading time from {@code clock} (tests move time instead of sleeping). */
    public ServerConfig withClock(java.time.InstantSource clock) {
        StorageOptions s = new StorageOptions(storage.dataDir(), storage.readThreads(), storage.readQueue(),
                storage.readTimeout(), storage.writeQueue(), storage.writeTimeout(), storage.maxGroupWeight(), clock);
        return new ServerConfig(host, port, dataDir, adminKey, sseIdleTimeout, sseHeartbeat, maxBodyBytes, bodyTimeout,
                axonLimits, streamLimits, s, sql, responseMemory, requestLog, devboxes, connections, intents,
                webhooks);
    }

    /** This configuration with other devbox options. */
    public ServerConfig withDevboxes(DevboxOptions newDevboxes) {
        return new ServerConfig(host, port, dataDir, adminKey, sseIdleTimeout, sseHeartbeat, maxBodyBytes, bodyTimeout,
                axonLimits, streamLimits, storage, sql, responseMemory, requestLog, newDevboxes, connections, intents,
                webhooks);
    }
}
