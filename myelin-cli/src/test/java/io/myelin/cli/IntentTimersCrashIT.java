package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import io.myelin.testkit.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Intent timers and webhook deliveries across kill -9: 1,000 intents whose timers fall due over a few seconds —
 * {@code time} intents firing, deadlines expiring, deadlines escalating once then expiring — while the server is
 * killed with SIGKILL and restarted on the same data dir, five times; every change is also pushed by a webhook per
 * axon ({@code intent.*}) to a receiver on loopback that fails the first two attempts of each delivery. Afterwards
 * every timer fired exactly once: each intent's ending event (and each escalation) is on its axon's stream once, in
 * order, nothing is still waiting, and no timer fired before its time. Every delivery is delivered, every request
 * carried a signature the Standard Webhooks reference library accepts, and the receiver, keeping the first request of
 * each {@code webhook-id}, saw every change of its axon exactly once, in stream order.
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
    /** The receiver answers 500 to this many attempts of each delivery before it answers 200. */
    static final int FAILED_ATTEMPTS = 2;
    /** Short waits between attempts, and enough of them that a delivery outlives its failures and the kills. */
    static final String RETRY_SCHEDULE = "0s" + ",20ms".repeat(19);

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

    /** One axon's webhook ({@code intent.*}, that axon only): its id, secret and path on the receiver. */
    record Hook(String id, String secret, String path) {}

    @Test
    void everyTimerFiresAndEveryChangeIsDeliveredExactlyOnceAcrossKillDashNine() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (WebhookReceiver receiver = new WebhookReceiver();
             ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m")
                     .setting("webhooks.allow-private-targets", "true")
                     .setting("webhooks.retry-schedule", RETRY_SCHEDULE).start()) {
            List<String> axons = new ArrayList<>();
            Map<String, Hook> hooks = new HashMap<>();
            Map<String, String> secrets = new ConcurrentHashMap<>();
            List<String> badSignatures = new CopyOnWriteArrayList<>();
            ToIntFunction<WebhookReceiver.Received> failFirst = WebhookReceiver.failFirst(FAILED_ATTEMPTS);
            receiver.answer(r -> {
                try {
                    r.verify(secrets.get(r.path())); // at receipt: the library also checks the timestamp is recent
                } catch (Exception e) {
                    badSignatures.add(r.id() + " to " + r.path() + ": " + e);
                }
                return failFirst.applyAsInt(r);
            });
            for (int i = 0; i < 4; i++) {
                String axon = JSON.readTree(server.post("/v1/axons", "{\"name\":\"timers-" + i + "\"}").body())
                        .get("id").asText();
                axons.add(axon);
                Hook hook = createHook(server, receiver, axon, "/hook/" + i);
                hooks.put(axon, hook);
                secrets.put(hook.path(), hook.secret());
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

            Map<String, List<JsonNode>> streams = new HashMap<>();
            for (String axon : axons) {
                streams.put(axon, readAll(server, axon));
            }
            checkTimers(created, streams, seed);
            for (String axon : axons) {
                checkDeliveries(server, receiver, hooks.get(axon), streams.get(axon), seed);
            }
            assertThat(badSignatures).as("requests whose signature the Standard Webhooks library refused").isEmpty();
        }
    }

    /** Every intent's events: created, then each timer's event once, in order, never before its time. */
    private static void checkTimers(Map<String, Created> created, Map<String, List<JsonNode>> streams, long seed)
            throws IOException {
        Map<String, List<JsonNode>> events = new HashMap<>();
        for (List<JsonNode> stream : streams.values()) {
            for (JsonNode e : stream) {
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

    /**
     * Once nothing is pending, every delivery of {@code hook} is delivered (none dead) and reached the receiver; the
     * receiver, keeping the first request of each {@code webhook-id}, saw exactly the axon's events, in order.
     */
    private static void checkDeliveries(ServerProcess server, WebhookReceiver receiver, Hook hook, List<JsonNode> stream,
                                        long seed) throws Exception {
        String base = "/v1/webhooks/" + hook.id() + "/deliveries?limit=5000";
        Await.until("no delivery of " + hook.id() + " pending (seed " + seed + ")", Duration.ofSeconds(180),
                () -> JSON.readTree(server.get(base + "&status=pending").body()).get("deliveries").size(), n -> n == 0);
        JsonNode page = JSON.readTree(server.get(base).body());
        assertThat(page.get("has_more").asBoolean()).isFalse();
        List<String> deliveryIds = new ArrayList<>();
        for (JsonNode d : page.get("deliveries")) {
            assertThat(d.get("status").asText()).as("delivery %s (seed %d)", d, seed).isEqualTo("delivered");
            deliveryIds.add(d.get("id").asText());
        }
        Map<String, WebhookReceiver.Received> firstOfEach = new LinkedHashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        for (WebhookReceiver.Received r : receiver.received(hook.path())) {
            firstOfEach.putIfAbsent(r.id(), r);
            attempts.merge(r.id(), 1, Integer::sum);
        }
        assertThat(attempts).as("requests per webhook-id: the failed ones, then the delivered one")
                .allSatisfy((id, n) -> assertThat(n).isGreaterThan(FAILED_ATTEMPTS));
        assertThat(firstOfEach.keySet()).as("webhook-ids received on %s (seed %d)", hook.path(), seed)
                .containsExactlyInAnyOrderElementsOf(deliveryIds);
        List<String> seen = firstOfEach.values().stream()
                .map(r -> r.sequence() + " " + r.json().get("data").get("event_type").asText()).toList();
        List<String> committed = stream.stream()
                .map(e -> e.get("sequence").asLong() + " " + e.get("event_type").asText()).toList();
        assertThat(seen).as("changes the receiver saw on %s, de-duplicated by webhook-id (seed %d)", hook.path(), seed)
                .containsExactlyElementsOf(committed);
    }

    private static Hook createHook(ServerProcess server, WebhookReceiver receiver, String axon, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> r = server.post("/v1/webhooks", JSON.writeValueAsString(Map.of("url", receiver.url(path),
                "event_types", List.of("intent.*"), "axon_id", axon)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode hook = JSON.readTree(r.body());
        return new Hook(hook.get("id").asText(), hook.get("secret").asText(), path);
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
