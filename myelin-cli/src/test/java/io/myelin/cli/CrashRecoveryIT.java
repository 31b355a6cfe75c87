package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Publishers run against the real server while it is killed with SIGKILL and restarted, five times. Afterwards
 * every acknowledged event must be present with its exact payload, and each axon's sequences must be 1..N.
 */
class CrashRecoveryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void acknowledgedEventsSurviveKillDashNine() throws Exception {
        Path dir = Files.createTempDirectory("myelin-crash").resolve("data");
        Map<String, Map<Long, String>> acked = new ConcurrentHashMap<>();
        List<String> axons = new ArrayList<>();
        try (ServerProcess server = new ServerProcess(dir, Map.of())) {
            server.start();
            for (int i = 0; i < 4; i++) {
                String id = JSON.readTree(post(server, "/v1/axons", "{\"name\":\"crash-" + i + "\"}").body()).get("id").asText();
                axons.add(id);
                acked.put(id, new ConcurrentHashMap<>());
            }
            for (int round = 1; round <= 5; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> publishers = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int tt = t, rr = round;
                    publishers.add(Thread.ofVirtual().start(() -> publish(server, axons.get(tt % axons.size()), rr, tt, stop, acked)));
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(400, 1500));
                server.kill9();
                stop.set(true);
                for (Thread p : publishers) p.join();
                server.start();
            }
            long total = 0;
            for (String id : axons) {
                Map<Long, String> stored = readAll(server, id);
                Map<Long, String> mine = acked.get(id);
                assertThat(mine).as("acknowledged events on " + id).isNotEmpty();
                long n = stored.size();
                assertThat(stored.keySet()).as("sequences of " + id + " are 1..N").containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
                for (Map.Entry<Long, String> e : mine.entrySet()) {
                    assertThat(stored.get(e.getKey())).as("acked seq " + e.getKey() + " of " + id).isEqualTo(e.getValue());
                }
                JsonNode head = JSON.readTree(get(server, "/v1/axons/" + id + "/events?limit=1").body());
                assertThat(head.get("total_count").asLong()).isEqualTo(n);
                total += mine.size();
            }
            assertThat(total).as("acknowledged events across 5 crashes").isGreaterThan(100);
        }
    }

    private void publish(ServerProcess server, String axon, int round, int thread, AtomicBoolean stop,
                         Map<String, Map<Long, String>> acked) {
        for (int i = 0; !stop.get(); i++) {
            try {
                if (i % 10 == 9) {
                    StringBuilder events = new StringBuilder("{\"events\":[");
                    List<String> payloads = new ArrayList<>();
                    for (int k = 0; k < 5; k++) {
                        String p = "r" + round + "-t" + thread + "-" + i + "-b" + k;
                        payloads.add(p);
                        events.append(k == 0 ? "" : ",").append(event(p));
                    }
                    var r = post(server, "/v1/axons/" + axon + "/publish/batch", events.append("]}").toString());
                    if (r.statusCode() == 200) {
                        JsonNode results = JSON.readTree(r.body()).get("results");
                        for (int k = 0; k < 5; k++) {
                            acked.get(axon).put(results.get(k).get("sequence").asLong(), payloads.get(k));
                        }
                    }
                } else {
                    String p = "r" + round + "-t" + thread + "-" + i;
                    var r = post(server, "/v1/axons/" + axon + "/publish", event(p));
                    if (r.statusCode() == 200) {
                        acked.get(axon).put(JSON.readTree(r.body()).get("sequence").asLong(), p);
                    }
                }
            } catch (IOException | InterruptedException serverGone) {
                return;
            }
        }
    }

    private static String event(String payload) {
        return "{\"event_type\":\"crash\",\"origin\":\"USER_EVENT\",\"source\":\"it\",\"payload\":\"" + payload + "\"}";
    }

    private Map<Long, String> readAll(ServerProcess server, String axon) throws Exception {
        Map<Long, String> out = new TreeMap<>();
        String cursor = "";
        while (true) {
            JsonNode page = JSON.readTree(get(server, "/v1/axons/" + axon + "/events?limit=5000" + cursor).body());
            for (JsonNode e : page.get("events")) {
                assertThat(out.put(e.get("sequence").asLong(), e.get("payload").asText())).as("duplicate").isNull();
            }
            if (!page.get("has_more").asBoolean()) {
                return out;
            }
            JsonNode events = page.get("events");
            cursor = "&starting_after=" + events.get(events.size() - 1).get("sequence").asLong();
        }
    }

    private HttpResponse<String> post(ServerProcess server, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ServerProcess.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ServerProcess server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ServerProcess.KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}
