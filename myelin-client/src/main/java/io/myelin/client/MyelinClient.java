package io.myelin.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The entry point: a client for one Myelin server (or any server speaking the Axon API).
 *
 * <pre>{@code
 * try (MyelinClient client = MyelinClient.builder()
 *         .baseUrl("http://127.0.0.1:7777")
 *         .apiKey(System.getenv("MYELIN_API_KEY"))
 *         .build()) {
 *     Axon axon = client.axons().create("demo", Map.of());
 *     client.axon(axon.id()).publish(NewEvent.json("message", Origin.USER_EVENT, "demo", Map.of("text", "hi")));
 * }
 * }</pre>
 *
 * <p>Threading: a client is immutable and safe for concurrent use by any number of threads; share one per
 * server. It holds an HTTP connection pool and the background threads of open subscriptions: {@link #close()}
 * ends all of them.
 */
public interface MyelinClient extends AutoCloseable {

    /** A builder with defaults: {@code http://127.0.0.1:7777}, no API key. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from the environment: {@code MYELIN_URL} (default {@code http://127.0.0.1:7777}) and
     * {@code MYELIN_API_KEY} (optional).
     */
    static MyelinClient fromEnv() {
        return builder().fromEnv().build();
    }

    /** Axon lifecycle and listing. */
    Axons axons();

    /** A handle on one axon's events and database; makes no request. */
    AxonHandle axon(String axonId);

    /** The server this client talks to. */
    URI baseUrl();

    /** Closes every open subscription and releases connections. Idempotent. */
    @Override
    void close();

    /**
     * Configures a {@link MyelinClient}. Not thread-safe; the built client is.
     */
    final class Builder {
        /** Where a local {@code myelin serve} listens by default. */
        public static final String DEFAULT_URL = "http://127.0.0.1:7777";

        URI baseUrl = URI.create(DEFAULT_URL);
        String apiKey;
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration requestTimeout = Duration.ofSeconds(60);
        Duration reconnectInitialDelay = Duration.ofMillis(100);
        Duration reconnectMaxDelay = Duration.ofSeconds(5);
        Duration streamSilenceTimeout = Duration.ofSeconds(90);
        int subscriptionBuffer = 1024;

        Builder() {
        }

        /** The server's base URL, e.g. {@code http://127.0.0.1:7777}. */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "url");
            return baseUrl(URI.create(url));
        }

        /** The server's base URL; must be {@code http} or {@code https} with a host. */
        public Builder baseUrl(URI url) {
            if (url.getScheme() == null || !url.getScheme().matches("(?i)https?") || url.getHost() == null) {
                throw new IllegalArgumentException("base URL must look like http://host:port, got '" + url + "'");
            }
            String s = url.toString();
            // Paths are appended to the base; a trailing slash would double up.
            this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        /** The API key sent as {@code Authorization: Bearer <key>}; {@code null} or blank sends none. */
        public Builder apiKey(String key) {
            this.apiKey = key == null || key.isBlank() ? null : key.strip();
            return this;
        }

        /** Reads {@code MYELIN_URL} and {@code MYELIN_API_KEY} where set, keeping the current values otherwise. */
        public Builder fromEnv() {
            String url = System.getenv("MYELIN_URL");
            if (url != null && !url.isBlank()) {
                baseUrl(url.strip());
            }
            String key = System.getenv("MYELIN_API_KEY");
            if (key != null && !key.isBlank()) {
                apiKey(key);
            }
            return this;
        }

        /** How long to wait for a TCP connection (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** How long to wait for a response to an ordinary request (default 60 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /**
         * The delays between a subscription's reconnection attempts: starting at {@code initial}, doubling up to
         * {@code max} (defaults 100 ms and 5 s), with jitter.
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectInitialDelay = positive(initial, "initial");
            this.reconnectMaxDelay = positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must be >= initial backoff");
            }
            return this;
        }

        /**
         * How long a subscription tolerates total silence (no event, no heartbeat) before it drops the connection
         * as dead and reconnects (default 90 s). Protects against half-open connections.
         */
        public Builder streamSilenceTimeout(Duration d) {
            this.streamSilenceTimeout = positive(d, "streamSilenceTimeout");
            return this;
        }

        /** How many received events a subscription holds for a slow consumer (default 1024). */
        public Builder subscriptionBuffer(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("subscriptionBuffer must be >= 1");
            }
            this.subscriptionBuffer = events;
            return this;
        }

        /** A client with this configuration. Building makes no request. */
        public MyelinClient build() {
            return new HttpMyelinClient(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
