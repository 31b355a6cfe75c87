package io.myelin.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

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
 * <p><b>Retries.</b> Every call is retried on transient failures: no connection (refused, reset, closed before
 * the answer), a timed-out attempt, and the answers 408, 409, 429 and 5xx; a server's {@code x-should-retry} header
 * overrides that rule either way, and other 4xx answers are never retried. By default a call makes up to 3 attempts
 * (2 retries), waiting between them what the server asked with {@code Retry-After-Ms} or {@code Retry-After}, else an
 * exponential backoff with jitter from 0.5 s up to 8 s ({@link Builder#maxRetries}, {@link Builder#retryBackoff},
 * {@link Builder#callTimeout}). Retrying a write is safe: every non-GET call (publish, batch publish, axon create,
 * update and delete, SQL query and batch, devbox create and control, intent create, resolve and cancel) sends an
 * {@code Idempotency-Key}, the caller's where the method takes one, else one generated per call ({@code myl-<uuid>}),
 * the same on every attempt; the server applies a write at most once per key and answers a repeat with the
 * original's answer. A 409 that carries an intent ({@link IntentConflictException}) is final and never retried. A
 * call that still fails throws the last failure.
 *
 * <p>Threading: a client is immutable and safe for concurrent use by any number of threads; share one per
 * server. It holds an HTTP connection pool and the background threads of open subscriptions: {@link #close()}
 * ends all of them, and ends every retry wait in progress with a {@link MyelinConnectionException}. A call blocks
 * its thread, including while it waits to retry; interrupting the thread ends the wait (the interrupt flag stays
 * set) with a {@link MyelinConnectionException}.
 */
public interface MyelinClient extends AutoCloseable {

    /** A builder with defaults: {@code http://127.0.0.1:7777}, no API key. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from the environment: {@code MYELIN_URL} (default {@code http://127.0.0.1:7777}),
     * {@code MYELIN_API_KEY} and {@code MYELIN_USER} (both optional).
     */
    static MyelinClient fromEnv() {
        return builder().fromEnv().build();
    }

    /** Axon lifecycle and listing. */
    Axons axons();

    /** Devboxes: where the server runs agents on axons. */
    Devboxes devboxes();

    /** API keys: create, list, rotate, revoke (needs {@code keys:manage}). */
    Keys keys();

    /** Intents: durable waits on people, tools, agents and time; their inbox; resolving them; awaiting them. */
    Intents intents();

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
        String actingUser;
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration requestTimeout = Duration.ofSeconds(60);
        int maxRetries = 2;
        Duration initialRetryDelay = Duration.ofMillis(500);
        Duration maxRetryDelay = Duration.ofSeconds(8);
        Duration callTimeout;
        Consumer<RetryAttempt> retryListener;
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

        /**
         * The user this client acts for, sent as {@code X-Myelin-User} on every request; {@code null} or blank sends
         * none. The server records it (e.g. as an intent resolution's {@code resolvedByUser}) without verifying it,
         * and counts it in a write's retry identity.
         *
         * @throws IllegalArgumentException not 1..128 visible ASCII characters (the server would answer 400)
         */
        public Builder actingUser(String user) {
            if (user == null || user.isBlank()) {
                this.actingUser = null;
                return this;
            }
            String u = user.strip();
            if (u.length() > 128 || !u.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("actingUser must be 1..128 visible ASCII characters, got '" + u + "'");
            }
            this.actingUser = u;
            return this;
        }

        /**
         * Reads {@code MYELIN_URL}, {@code MYELIN_API_KEY} and {@code MYELIN_USER} ({@link #actingUser}) where set,
         * keeping the current values otherwise.
         */
        public Builder fromEnv() {
            String url = System.getenv("MYELIN_URL");
            if (url != null && !url.isBlank()) {
                baseUrl(url.strip());
            }
            String key = System.getenv("MYELIN_API_KEY");
            if (key != null && !key.isBlank()) {
                apiKey(key);
            }
            String user = System.getenv("MYELIN_USER");
            if (user != null && !user.isBlank()) {
                actingUser(user);
            }
            return this;
        }

        /** How long to wait for a TCP connection (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * How long one attempt of an ordinary request may wait for its answer (default 60 s); an attempt that
         * times out is retried like a dropped connection. See {@link #callTimeout} for a limit on the whole call.
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /**
         * How many times a call is sent again after a transient failure (default 2, so at most 3 attempts); 0
         * disables retries. {@link Integer#MAX_VALUE} retries until the {@link #callTimeout} passes.
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * The waits between attempts of a call when the server did not say how long to wait: exponential backoff
         * with decorrelated jitter, each wait drawn between {@code initial} and three times the previous one, at
         * most {@code max} (defaults 0.5 s and 8 s). {@code max} also caps a server's {@code Retry-After}.
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.initialRetryDelay = positive(initial, "initial");
            this.maxRetryDelay = positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must be >= initial backoff");
            }
            return this;
        }

        /**
         * The longest one call may take, across all its attempts and waits (default: none; the retry count
         * bounds it). An attempt's own timeout is shortened to what is left; a retry whose wait would end past
         * the deadline is not made, and the last failure is thrown instead. Does not apply to subscriptions.
         */
        public Builder callTimeout(Duration d) {
            this.callTimeout = positive(d, "callTimeout");
            if (d.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("callTimeout must be at most 365 days, got " + d);
            }
            return this;
        }

        /**
         * Called on the calling thread before each retry wait, with the failed attempt (default: none). It must
         * return quickly; what it throws propagates to the caller of the request.
         */
        public Builder retryListener(Consumer<RetryAttempt> listener) {
            this.retryListener = listener;
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
