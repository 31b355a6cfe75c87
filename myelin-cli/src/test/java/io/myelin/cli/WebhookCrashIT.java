package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook deliveries across kill -9: the server is killed while deliveries are in flight, several times. A receiver
 * that fails the first attempt of every message, de-duplicating by {@code webhook-id}, must see every event exactly
 * once and in order, every request signed validly.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // the server JVM starts four times
class WebhookCrashIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Received(String id, String body, Map<String, List<String>> headers) {}

    @Test
    void everyChangeArrivesOnceInOrderAcrossKills() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Received> received = new CopyOnWriteArrayList<>();
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String id = ex.getRequestHeaders().getFirst("webhook-id");
                received.add(new Received(id, body, Map.copyOf(ex.getRequestHeaders())));
                ex.sendResponseHeaders(attempts.merge(id, 1, Integer::sum) == 1 ? 500 : 200, -1);
            }
        });
        receiver.start();
        int perRound = 60;
        int rounds = 3;
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m")
                .setting("webhooks.allow-private-targets", "true")
                .setting("webhooks.retry-schedule", "0s,5ms,5ms,5ms,5ms,5ms,5ms,5ms,5ms,5ms").start()) {
            String axon = JSON.readTree(post(server, "/v1/axons", "{\"name\":\"webhook-crash\"}").body()).get("id").asText();
            HttpResponse<String> created = post(server, "/v1/webhooks", JSON.writeValueAsString(Map.of("url",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "event_types", List.of("*"),
                    "axon_id", axon)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode hook = JSON.readTree(created.body());
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < perRound; i++) {
                    HttpResponse<String> r = post(server, "/v1/axons/" + axon + "/publish", JSON.writeValueAsString(Map.of(
                            "event_type", "step", "origin", "USER_EVENT", "source", "crash", "payload", "{\"round\":"
                                    + round + ",\"i\":" + i + "}")));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
                int seen = received.size();
                int killAfter = seen + 1 + random.nextInt(perRound);
                Await.until("round " + round + ": " + killAfter + " requests received (seed " + seed + ")",
                        Duration.ofSeconds(120), received::size, n -> n >= killAfter);
                server.kill9();
                server.start();
            }
            int total = perRound * rounds;
            Await.until(total + " deliveries delivered (seed " + seed + ")", Duration.ofSeconds(180),
                    () -> JSON.readTree(get(server, "/v1/webhooks/" + hook.get("id").asText()
                            + "/deliveries?status=delivered&limit=1000").body()).get("deliveries").size(),
                    n -> n == total);

            Webhook verifier = new Webhook(hook.get("secret").asText());
            Map<String, Long> firstSeen = new LinkedHashMap<>();
            for (Received r : received) {
                verifier.verify(r.body(), HttpHeaders.of(r.headers(), (a, b) -> true));
                long sequence = JSON.readTree(r.body()).get("data").get("sequence").asLong();
                Long before = firstSeen.putIfAbsent(r.id(), sequence);
                assertThat(before == null || before == sequence).as("one webhook-id, one event").isTrue();
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= total; s++) {
                expected.add(s);
            }
            assertThat(new ArrayList<>(firstSeen.values())).as("de-duplicated by webhook-id, in order (seed " + seed + ")")
                    .isEqualTo(expected);
        } finally {
            receiver.stop(0);
        }
    }

    private HttpResponse<String> post(ServerProcess server, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ServerProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ServerProcess server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ServerProcess.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}
