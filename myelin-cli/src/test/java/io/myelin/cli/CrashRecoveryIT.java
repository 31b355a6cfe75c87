package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Publishers run against the real server while it is killed with SIGKILL and restarted, five times. Afterwards
 * every acknowledged event must be present with its exact payload, and each axon's sequences must be 1..N.
 *
 * <p>Each kill comes after a number of acknowledged writes in that round, drawn at random (the seed is in the
 * failure message): the kill points vary from run to run, but never depend on how fast the machine is, and every
 * round has writes in flight when the process dies.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // the server JVM starts six times
class CrashRecoveryIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acknowledgedEventsSurviveKillDashNine() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Map<Long, String>> acked = new ConcurrentHashMap<>();
        List<String> axons = new ArrayList<>();
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m").start()) {
            for (int i = 0; i < 4; i++) {
                String id = JSON.readTree(server.post("/v1/axons", "{\"name\":\"crash-" + i + "\"}").body()).get("id").asText();
                axons.add(id);
                acked.put(id, new ConcurrentHashMap<>());
            }
            for (int round = 1; round <= 5; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong writes = new AtomicLong();
                List<Thread> publishers = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int tt = t, rr = round;
                    publishers.add(Thread.ofVirtual().start(
                            () -> publish(server, axons.get(tt % axons.size()), rr, tt, stop, acked, writes)));
                }
                long killAfter = 50 + random.nextInt(400);
                Await.until("round " + round + ": " + killAfter + " acknowledged writes (seed " + seed + ")",
                        Duration.ofSeconds(120), writes::get, n -> n >= killAfter);
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
                JsonNode head = JSON.readTree(server.get("/v1/axons/" + id + "/events?limit=1").body());
                assertThat(head.get("total_count").asLong()).isEqualTo(n);
                total += mine.size();
            }
            assertThat(total).as("acknowledged events across 5 crashes").isGreaterThanOrEqualTo(250);
        }
    }

    private void publish(ServerProcess server, String axon, int round, int thread, AtomicBoolean stop,
                         Map<String, Map<Long, String>> acked, AtomicLong writes) {
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
                    var r = server.post("/v1/axons/" + axon + "/publish/batch", events.append("]}").toString());
                    if (r.statusCode() == 200) {
                        JsonNode results = JSON.readTree(r.body()).get("results");
                        for (int k = 0; k < 5; k++) {
                            acked.get(axon).put(results.get(k).get("sequence").asLong(), payloads.get(k));
                        }
                        writes.incrementAndGet();
                    }
                } else {
                    String p = "r" + round + "-t" + thread + "-" + i;
                    var r = server.post("/v1/axons/" + axon + "/publish", event(p));
                    if (r.statusCode() == 200) {
                        acked.get(axon).put(JSON.readTree(r.body()).get("sequence").asLong(), p);
                        writes.incrementAndGet();
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
            JsonNode page = JSON.readTree(server.get("/v1/axons/" + axon + "/events?limit=5000" + cursor).body());
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


}
