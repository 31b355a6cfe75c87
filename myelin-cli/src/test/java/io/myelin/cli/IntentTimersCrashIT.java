package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Intent timers across kill -9: 1,000 intents whose timers fall due over a few seconds — {@code time} intents
 * firing, deadlines expiring, deadlines escalating once then expiring — while the server is killed with SIGKILL and
 * restarted on the same data dir, five times. Afterwards every timer fired exactly once: each intent's ending
 * event (and each escalation) is on its axon's stream once, in order, nothing is still waiting, and no timer fired
 * before its time.
 *
 * <p>Each kill comes when the number of intents still waiting has fallen to a point drawn at random (the seed is
 * in the failure message): kills land while timers fire, including in the burst of what fell due while the server
 * was down, and never depend on how fast the machine is.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // the server JVM starts six times
class IntentTimersCrashIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int INTENTS = 1000;
    static final int KILLS = 5;
    /** The first timers fall due this long after the creates begin: at most a loaded machine's create time. */
    static final long LEAD_MS = 4000;
    /** Timers fall due spread over this window. */
    static final long SPREAD_MS = 6000;

    /** What each intent is; decides which events its stream must show. */
    enum Shape {
        TIMER("intent.resolved"), EXPIRE("intent.expired"), ESCALATE("intent.escalated", "intent.expired");

        final List<String> endingEvents;

        Shape(String... endingEvents) {
            this.endingEvents = List.of(endingEvents);
        }

        static Shape of(int i) {
            return i % 10 == 9 ? ESCALATE : i % 2 == 0 ? TIMER : EXPIRE;
        }
    }

    /** One created intent: its shape, and the time its first timer was set for. */
    record Created(Shape shape, long dueMs) {}

    @Test
    void everyTimerFiresExactlyOnceAcrossKillDashNine() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m").start()) {
            List<String> axons = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                axons.add(JSON.readTree(server.post("/v1/axons", "{\"name\":\"timers-" + i + "\"}").body()).get("id").asText());
            }
            Map<String, Created> created = createAll(server, axons);

            int[] killAt = random.ints(KILLS, INTENTS / 20, INTENTS - INTENTS / 20).boxed()
                    .sorted(Comparator.reverseOrder()).mapToInt(Integer::intValue).toArray();
            for (int round = 0; round < KILLS; round++) {
                int threshold = killAt[round];
                Await.until("round " + (round + 1) + ": at most " + threshold + " intents still waiting (seed " + seed + ")",
                        Duration.ofSeconds(120), () -> waiting(server), n -> n <= threshold);
                server.kill9();
                server.start();
            }
            Await.until("no intent still waiting (seed " + seed + ")", Duration.ofSeconds(120), () -> waiting(server),
                    n -> n == 0);

            Map<String, List<JsonNode>> events = new HashMap<>();
            for (String axon : axons) {
                for (JsonNode e : readAll(server, axon)) {
                    JsonNode view = JSON.readTree(e.get("payload").asText());
                    events.computeIfAbsent(view.get("id").asText(), k -> new ArrayList<>()).add(e);
                }
            }
            assertThat(events.keySet()).as("intents on the streams (seed " + seed + ")")
                    .containsExactlyInAnyOrderElementsOf(created.keySet());
            for (Map.Entry<String, Created> c : created.entrySet()) {
                List<JsonNode> mine = events.get(c.getKey());
                List<String> expected = new ArrayList<>(List.of("intent.created"));
                expected.addAll(c.getValue().shape().endingEvents);
                assertThat(mine.stream().map(e -> e.get("event_type").asText()).toList())
                        .as("events of %s intent %s, in stream order (seed %d)", c.getValue().shape(), c.getKey(), seed)
                        .containsExactlyElementsOf(expected);
                JsonNode first = JSON.readTree(mine.get(1).get("payload").asText());
                assertThat(first.get("updated_at_ms").asLong()).as("%s fired no earlier than it was due", c.getKey())
                        .isGreaterThanOrEqualTo(c.getValue().dueMs());
                JsonNode last = JSON.readTree(mine.getLast().get("payload").asText());
                assertThat(last.get("updated_at_ms").asLong()).as("%s ended no earlier than its last deadline", c.getKey())
                        .isGreaterThanOrEqualTo(first.get("deadline_ms").asLong(0));
                assertThat(last.get("status").asText()).isEqualTo(c.getValue().shape() == Shape.TIMER ? "completed" : "expired");
                assertThat(last.get("resolution").get("outcome").asText())
                        .isEqualTo(c.getValue().shape() == Shape.TIMER ? "fired" : "expired");
                assertThat(last.get("resolution").get("resolved_by").asText()).isEqualTo("system");
            }
        }
    }

    /**
     * Creates the intents from a few threads, before any kill. Each first timer is due at its planned point of the
     * window, or 1 s after its create is sent when the machine is so slow that the plan has passed (a deadline must
     * lie in the future).
     */
    private Map<String, Created> createAll(ServerProcess server, List<String> axons) throws Exception {
        Map<String, Created> created = new ConcurrentHashMap<>();
        long start = System.currentTimeMillis();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < INTENTS; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    Shape shape = Shape.of(n);
                    long due = Math.max(start + LEAD_MS + SPREAD_MS * n / INTENTS, System.currentTimeMillis() + 1000);
                    String body = switch (shape) {
                        case TIMER -> "{\"kind\":\"crash.timer\",\"waiting_for\":\"time\",\"fire_at_ms\":" + due + "}";
                        case EXPIRE -> "{\"kind\":\"crash.expire\",\"waiting_for\":\"human\",\"deadline_ms\":" + due + "}";
                        case ESCALATE -> "{\"kind\":\"crash.escalate\",\"waiting_for\":\"tool\",\"assignee\":\"ci\","
                                + "\"on_deadline\":\"escalate\",\"escalate_to\":\"oncall\",\"deadline_ms\":" + due + "}";
                    };
                    HttpResponse<String> r = server.post("/v1/axons/" + axons.get(n % axons.size()) + "/intents", body);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    created.put(JSON.readTree(r.body()).get("id").asText(), new Created(shape, due));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                Await.result("an intent is created", Duration.ofSeconds(60), f);
            }
        }
        assertThat(created).hasSize(INTENTS);
        return created;
    }

    private long waiting(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> r = server.get("/v1/intents?status=waiting&limit=1&include_total_count=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("total_count").asLong();
    }

    /** Every event of {@code axon}, oldest first (the history pages newest first); its sequences are 1..N. */
    private List<JsonNode> readAll(ServerProcess server, String axon) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = "";
        while (true) {
            JsonNode page = JSON.readTree(server.get("/v1/axons/" + axon + "/events?limit=5000" + cursor).body());
            JsonNode events = page.get("events");
            events.forEach(out::add);
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            cursor = "&starting_after=" + events.get(events.size() - 1).get("sequence").asLong();
        }
        out.sort(Comparator.comparingLong(e -> e.get("sequence").asLong()));
        assertThat(out.stream().map(e -> e.get("sequence").asLong()).toList()).as("sequences of " + axon + " are 1..N")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, out.size()).boxed().toList());
        return out;
    }


}
