package io.myelin.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.myelin.broker.BrokerFactory;
import io.myelin.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Myelin server in this JVM, on a free loopback port, with its own data dir and a known admin key, plus a
 * small HTTP client for it. Tests talk to it over HTTP exactly as users do.
 *
 * <p>Get one from {@link MyelinServerExtension} (one per test class, closed after it), or {@link #start} one
 * yourself and close it. A server can be {@link #stop() stopped} and {@link #restart() restarted} on the same port
 * and data dir, to test what survives a restart. A data dir the server created itself is deleted on
 * {@link #close()}; one passed in is left alone.
 *
 * <p>Threads: the HTTP helpers may be called from any thread; {@link #stop()}, {@link #restart()} and
 * {@link #close()} are meant for the test's own thread.
 */
public final class TestServer implements AutoCloseable {
    /** The admin API key every test server accepts (32+ printable characters, as the server requires). */
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghij";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile MyelinServer server;
    private volatile int port;
    private volatile boolean stopped;

    private final UnaryOperator<ServerConfig> adjust;
    private final BrokerFactory brokers;

    private TestServer(Path dataDir, boolean ownsDataDir, Map<String, String> settings,
                       UnaryOperator<ServerConfig> adjust, BrokerFactory brokers) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.settings = Map.copyOf(settings);
        this.adjust = adjust;
        this.brokers = brokers;
    }

    /** Starts a server with default settings on a fresh data dir. */
    public static TestServer start() {
        return start(Map.of());
    }

    /**
     * Starts a server on a fresh data dir, deleted on {@link #close()}.
     *
     * @param settings config overrides by setting key (README: Configuration), e.g. {@code "sse.idle-timeout" -> "1s"}
     */
    public static TestServer start(Map<String, String> settings) {
        return launch(new TestServer(TempDirs.create("myelin-test"), true, settings, c -> c, null));
    }

    /** Starts a server on {@code dataDir}, which is kept on {@link #close()}. */
    public static TestServer start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, c -> c, null);
    }

    /**
     * Starts a server on {@code dataDir} (kept on {@link #close()}) whose configuration {@code adjust} may change after
     * the settings are read (a test clock, intervals no setting exposes), with {@code brokers} starting the brokers of
     * devbox mounts (null: none). Both apply again on {@link #restart()}.
     */
    public static TestServer start(Path dataDir, Map<String, String> settings, UnaryOperator<ServerConfig> adjust,
                                   BrokerFactory brokers) {
        return launch(new TestServer(dataDir, false, settings, adjust, brokers));
    }

    private static TestServer launch(TestServer s) {
        try {
            s.restart();
            return s;
        } catch (RuntimeException e) {
            s.http.shutdownNow();
            if (s.ownsDataDir) {
                TempDirs.deleteTree(s.dataDir);
            }
            throw e;
        }
    }

    /** Starts the server (again): the first time on a free port, afterwards on the same one and the same data dir. */
    public void restart() {
        if (server != null && !stopped) {
            throw new IllegalStateException("running; stop() it first");
        }
        ConfigLoader loader = new ConfigLoader().flag("port", port).flag("data-dir", dataDir).flag("admin-key", ADMIN_KEY);
        settings.forEach(loader::flag);
        server = MyelinServer.start(adjust.apply(loader.build()), brokers);
        port = server.port();
        stopped = false;
    }

    /** Stops the server as an operator would (graceful close), keeping its port and data dir for {@link #restart()}. */
    public void stop() {
        stopped = true;
        server.close();
    }

    /** The running server, for what HTTP does not show (its config, its data dir layout). */
    public MyelinServer server() {
        return server;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String adminKey() {
        return ADMIN_KEY;
    }

    /** The settings this server was started with, by key. */
    public Map<String, String> settings() {
        return new LinkedHashMap<>(settings);
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public HttpClient http() {
        return http;
    }

    /** A request to {@code path} with the admin key and a 60 s answer deadline. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    /** The value of the unlabelled Prometheus sample {@code name} on {@code /metrics}; an AssertionError when absent. */
    public double metric(String name) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    public Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** POSTs {@code body} (a String as is, anything else as JSON). */
    public Reply post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Reply post(String path, Object body, Map<String, String> headers) {
        String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON-serialisable: " + body, e);
        }
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** Sends {@code request}; an I/O failure is an {@link UncheckedIOException}. */
    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    /** Creates an axon (named, unless {@code name} is null) and returns its id. */
    public String createAxon(String name) {
        Reply r = post("/v1/axons", name == null ? Map.of() : Map.of("name", name));
        if (r.status() != 200) {
            throw new AssertionError("create axon failed: " + r);
        }
        return r.json().get("id").asText();
    }

    /** Publishes one USER_EVENT from source {@code test}. */
    public Reply publish(String axonId, String type, String payload) {
        return post("/v1/axons/" + axonId + "/publish",
                Map.of("event_type", type, "origin", "USER_EVENT", "source", "test", "payload", payload));
    }

    /** Stops the server if it runs, and deletes the data dir if this server created it. */
    @Override
    public void close() {
        try {
            if (server != null && !stopped) {
                stop();
            }
        } finally {
            http.shutdownNow(); // the server is gone: nothing left to wait for, even a stream a test left open
            if (ownsDataDir) {
                TempDirs.deleteTree(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "TestServer[" + baseUrl() + ", data dir " + dataDir + ", settings " + settings + "]";
    }

    /** An HTTP answer. */
    public record Reply(int status, String body, HttpResponse<String> response) {
        /** The body as JSON; an {@link AssertionError} naming status and body when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** {@code error.field} of an error answer, or null. */
        public String errorField() {
            JsonNode f = json().path("error").get("field");
            return f == null || f.isNull() ? null : f.asText();
        }

        /** {@code error.type} of an error answer, or "" when there is none. */
        public String errorType() {
            return json().path("error").path("type").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
