package io.myelin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.server.config.ConfigLoader;
import io.myelin.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real server on a free loopback port with its own temporary data dir, and a small HTTP client for it.
 * Tests talk to it over HTTP exactly as users do.
 */
public final class TestServer implements AutoCloseable {
    public static final String KEY = "test-admin-key-0123456789abcdefghij";
    static final ObjectMapper JSON = new ObjectMapper();

    private final MyelinServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(MyelinServer server) {
        this.server = server;
    }

    /** Starts a server; {@code settings} are extra config keys (e.g. {@code "sse.idle-timeout" -> "1s"}). */
    public static TestServer start(Map<String, String> settings) throws IOException {
        return start(Files.createTempDirectory("myelin-test"), settings);
    }

    public static TestServer start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, c -> c, null);
    }

    /**
     * Starts a server whose configuration {@code adjust} may change after the settings are read (a test clock), with
     * {@code brokers} starting the brokers of devbox mounts (null: none).
     */
    public static TestServer start(Path dataDir, Map<String, String> settings,
                                   java.util.function.UnaryOperator<ServerConfig> adjust,
                                   io.myelin.broker.BrokerFactory brokers) {
        ConfigLoader loader = new ConfigLoader().flag("port", 0).flag("data-dir", dataDir).flag("admin-key", KEY);
        settings.forEach(loader::flag);
        ServerConfig config = adjust.apply(loader.build());
        return new TestServer(MyelinServer.start(config, brokers));
    }

    public static TestServer start() throws IOException {
        return start(Map.of());
    }

    public MyelinServer server() {
        return server;
    }

    public URI uri(String path) {
        return URI.create(server.uri() + path);
    }

    public HttpClient http() {
        return http;
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY);
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    public Reply post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Reply post(String path, Object body, Map<String, String> headers) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text));
            headers.forEach(b::header);
            return send(b.build());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    /** Creates an axon and returns its id. */
    public String createAxon(String name) {
        Reply r = post("/v1/axons", name == null ? Map.of() : Map.of("name", name));
        if (r.status() != 200) {
            throw new AssertionError("create failed: " + r);
        }
        return r.json().get("id").asText();
    }

    public Reply publish(String axonId, String type, String payload) {
        return post("/v1/axons/" + axonId + "/publish",
                Map.of("event_type", type, "origin", "USER_EVENT", "source", "test", "payload", payload));
    }

    @Override
    public void close() {
        server.close();
    }

    /** An HTTP answer. */
    public record Reply(int status, String body, HttpResponse<String> response) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String errorField() {
            JsonNode f = json().path("error").get("field");
            return f == null ? null : f.asText();
        }

        public String errorType() {
            return json().path("error").path("type").asText();
        }
    }
}
