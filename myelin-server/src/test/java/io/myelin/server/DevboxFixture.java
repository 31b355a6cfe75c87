package io.myelin.server;

import io.myelin.testkit.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.devbox.DevboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A server for devbox tests: real processes through a {@link ProcessBrokerFactory}, {@code /bin/cat} configured as
 * the agent {@code cat}, client commands allowed, a {@link ManualClock}, and idle devboxes looked for every 20 ms.
 * Everything goes through HTTP, as a client sees it.
 */
final class DevboxFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final Path dataDir;
    final ManualClock clock = new ManualClock();
    final ProcessBrokerFactory brokers = new ProcessBrokerFactory();
    final Map<String, String> settings;
    TestServer server;

    private DevboxFixture(Path dataDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** A fixture with the defaults above and {@code extra} settings on top. */
    static DevboxFixture start(Map<String, String> extra) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("agents.binaries", "{\"cat\": \"/bin/cat\"}");
        settings.put("devboxes.allow-commands", "true");
        settings.put("devboxes.stop-timeout", "2s");
        settings.putAll(extra);
        DevboxFixture f = new DevboxFixture(Files.createTempDirectory("myelin-devbox"), settings);
        f.restart();
        return f;
    }

    /** Starts the server (again) on the same data dir, clock and broker factory. */
    void restart() {
        server = TestServer.start(dataDir, settings, c -> {
            DevboxOptions d = c.devboxes().withIdleCheckInterval(Duration.ofMillis(20));
            return c.withClock(clock).withDevboxes(d);
        }, brokers);
    }

    void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
    }

    Path workspace(String devboxId) {
        return dataDir.resolve("devboxes").resolve(devboxId);
    }

    /** A broker mount of {@code /bin/cat} on {@code axon}. */
    static Map<String, Object> catMount(String axon) {
        return Map.of("type", "broker_mount", "axon_id", axon, "protocol", "acp", "agent_binary", "cat");
    }

    /** Creates a devbox from {@code body}; fails the test unless the answer is 200. */
    JsonNode create(Map<String, Object> body) {
        TestServer.Reply r = server.post("/v1/devboxes", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode get(String id) {
        TestServer.Reply r = server.get("/v1/devboxes/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    TestServer.Reply post(String id, String action) {
        return server.send(server.request("/v1/devboxes/" + id + "/" + action)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Waits (long-polling {@code wait_for_status}, as the SDK does, asking again after each 408) until the devbox is
     * in one of {@code statuses}; the test's own timeout bounds the wait.
     */
    JsonNode awaitStatus(String id, String... statuses) {
        while (true) {
            TestServer.Reply r = server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of(statuses)));
            if (r.status() == 200) {
                JsonNode d = r.json();
                assertThat(List.of(statuses)).as("devbox %s settled in %s", id, d.get("status").asText())
                        .contains(d.get("status").asText());
                return d;
            }
            assertThat(r.status()).as(r.body()).isEqualTo(408);
        }
    }

    /** The events on {@code axon}, oldest first. */
    List<JsonNode> events(String axon) {
        JsonNode page = server.get("/v1/axons/" + axon + "/events?limit=1000").json();
        List<JsonNode> out = new ArrayList<>();
        page.get("events").forEach(out::add);
        java.util.Collections.reverse(out);
        return out;
    }

    /** The {@code devbox.*} events on {@code axon}: type, then the payload's reason ({@code -} when absent). */
    List<String> lifecycleEvents(String axon, String devboxId) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events(axon)) {
            if (!e.get("event_type").asText().startsWith("devbox.")) {
                continue;
            }
            assertThat(e.get("origin").asText()).isEqualTo("SYSTEM_EVENT");
            JsonNode payload = read(e.get("payload").asText());
            assertThat(payload.get("devbox_id").asText()).isEqualTo(devboxId);
            out.add(e.get("event_type").asText() + " " + (payload.has("reason") ? payload.get("reason").asText() : "-"));
        }
        return out;
    }

    /** Waits until {@code axon} holds the lifecycle events {@code expected}, in order. */
    void awaitLifecycleEvents(String axon, String devboxId, String... expected) {
        Awaitility.await().atMost(WAIT).untilAsserted(() ->
                assertThat(lifecycleEvents(axon, devboxId)).containsExactly(expected));
    }

    static JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    /** The one mount the factory started for {@code devboxId} most recently. */
    ProcessBrokerFactory.Mount lastMount(String devboxId) {
        List<ProcessBrokerFactory.Mount> ms = brokers.mountsOf(devboxId);
        assertThat(ms).as("mounts started for " + devboxId).isNotEmpty();
        return ms.get(ms.size() - 1);
    }
}
