package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class PublishApiTest {
    @InjectServer
    static TestServer s;

    static Map<String, Object> event(String type, String payload) {
        return Map.of("event_type", type, "origin", "AGENT_EVENT", "source", "agent", "payload", payload);
    }

    @Test
    void publishAssignsContiguousSequencesAndHistoryIsNewestFirst() {
        String id = s.createAxon("hist");
        for (int i = 1; i <= 25; i++) {
            var r = s.publish(id, "t" + i, "{\"i\":" + i + "}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("sequence").asLong()).isEqualTo(i);
            assertThat(r.json().get("timestamp_ms").asLong()).isPositive();
        }
        JsonNode first = s.get("/v1/axons/" + id + "/events").json();
        assertThat(first.get("events")).hasSize(20);
        assertThat(first.get("events").get(0).get("sequence").asLong()).isEqualTo(25);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("total_count").asLong()).isEqualTo(25);
        JsonNode e = first.get("events").get(0);
        assertThat(e.get("axon_id").asText()).isEqualTo(id);
        assertThat(e.get("event_type").asText()).isEqualTo("t25");
        assertThat(e.get("origin").asText()).isEqualTo("USER_EVENT");
        assertThat(e.get("source").asText()).isEqualTo("test");
        assertThat(e.get("payload").asText()).isEqualTo("{\"i\":25}");

        JsonNode second = s.get("/v1/axons/" + id + "/events?limit=10&starting_after=6").json();
        assertThat(seqs(second)).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(second.get("has_more").asBoolean()).isFalse();
        assertThat(s.get("/v1/axons/" + id + "/events?include_total_count=false").json().has("total_count")).isFalse();
    }

    @Test
    void batchIsAtomicAndContiguous() {
        String id = s.createAxon("batch");
        s.publish(id, "first", "0");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) events.add(event("b", "p" + i));
        var r = s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", events));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(results.get(i).get("sequence").asLong()).isEqualTo(2 + i);
        }
        JsonNode stored = s.get("/v1/axons/" + id + "/events?limit=1000").json().get("events"); // newest first
        for (int i = 0; i < 1000; i++) {
            JsonNode e = stored.get(999 - i);
            assertThat(e.get("sequence").asLong()).isEqualTo(2 + i);
            assertThat(e.get("payload").asText()).isEqualTo("p" + i);
            assertThat(e.get("event_type").asText()).isEqualTo("b");
        }
        // one bad event rejects the whole batch, and nothing of it is stored
        List<Map<String, Object>> bad = new ArrayList<>(events.subList(0, 5));
        bad.add(Map.of("event_type", "x", "origin", "NOPE", "source", "s", "payload", "p"));
        var rejected = s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", bad));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorField()).isEqualTo("events[5].origin");
        assertThat(s.get("/v1/axons/" + id + "/events?limit=1").json().get("total_count").asLong()).isEqualTo(1001);

        events.add(event("b", "one too many"));
        var tooMany = s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", events));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.errorField()).isEqualTo("events");
        assertThat(s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", List.of())).errorField()).isEqualTo("events");
        assertThat(s.post("/v1/axons/" + id + "/publish/batch", Map.of()).errorField()).isEqualTo("events");
        assertThat(s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", "x")).errorField()).isEqualTo("events");
        assertThat(s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", List.of(1))).errorField()).isEqualTo("events[0]");
    }

    @Test
    void idempotencyKeyReturnsTheOriginalAndAppendsNothing() {
        String id = s.createAxon("idem");
        var a = s.post("/v1/axons/" + id + "/publish", event("t", "once"), Map.of("Idempotency-Key", "k-1"));
        var b = s.post("/v1/axons/" + id + "/publish", event("t", "once"), Map.of("Idempotency-Key", "k-1"));
        assertThat(b.json()).isEqualTo(a.json());
        var c = s.post("/v1/axons/" + id + "/publish", event("t", "twice"), Map.of("Idempotency-Key", "k-2"));
        assertThat(c.json().get("sequence").asLong()).isEqualTo(2);
        // the same key on another axon is independent
        String other = s.createAxon("idem2");
        assertThat(s.post("/v1/axons/" + other + "/publish", event("t", "x"), Map.of("Idempotency-Key", "k-1"))
                .json().get("sequence").asLong()).isEqualTo(1);
        // batches replay their whole result
        var batch = Map.of("events", List.of(event("a", "1"), event("b", "2")));
        var b1 = s.post("/v1/axons/" + id + "/publish/batch", batch, Map.of("Idempotency-Key", "batch-1"));
        var b2 = s.post("/v1/axons/" + id + "/publish/batch", batch, Map.of("Idempotency-Key", "batch-1"));
        assertThat(b2.json()).isEqualTo(b1.json());
        assertThat(s.get("/v1/axons/" + id + "/events").json().get("total_count").asLong()).isEqualTo(4);
        // the Runloop SDK's retry header dedups the same way
        var r1 = s.post("/v1/axons/" + id + "/publish", event("t", "sdk"), Map.of("X-Request-Id", "stainless-node-retry-1"));
        var r2 = s.post("/v1/axons/" + id + "/publish", event("t", "sdk"), Map.of("X-Request-Id", "stainless-node-retry-1"));
        assertThat(r2.json()).isEqualTo(r1.json());
        assertThat(s.post("/v1/axons/" + id + "/publish", event("t", "x"), Map.of("Idempotency-Key", "k".repeat(257)))
                .errorField()).isEqualTo("Idempotency-Key");
        // the same key for a different request is refused, and appends nothing
        var reused = s.post("/v1/axons/" + id + "/publish", event("t", "not once"), Map.of("Idempotency-Key", "k-1"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.errorField()).isEqualTo("Idempotency-Key");
        assertThat(s.get("/v1/axons/" + id + "/events").json().get("total_count").asLong()).isEqualTo(5);
    }

    @Test
    void concurrentDuplicateKeysAppendOnce() throws Exception {
        String id = s.createAxon("idem-race");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            answers.add(pool.submit(() -> s.post("/v1/axons/" + id + "/publish", event("t", "race"),
                    Map.of("Idempotency-Key", "same")).body()));
        }
        Set<String> distinct = new java.util.HashSet<>();
        for (Future<String> f : answers) distinct.add(f.get());
        pool.shutdown();
        assertThat(distinct).hasSize(1);
        assertThat(s.get("/v1/axons/" + id + "/events").json().get("total_count").asLong()).isEqualTo(1);
    }

    @Test
    void concurrentPublishersGetDistinctContiguousSequences() throws Exception {
        String id = s.createAxon("conc");
        int threads = 32, each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> seqs = ConcurrentHashMap.newKeySet();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            fs.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    var r = s.publish(id, "c", tt + ":" + i);
                    assertThat(r.status()).isEqualTo(200);
                    seqs.add(r.json().get("sequence").asLong());
                }
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        assertThat(seqs).hasSize(threads * each);
        assertThat(seqs.stream().mapToLong(Long::longValue).max().getAsLong()).isEqualTo(threads * each);
    }

    @Test
    void validationNamesTheFieldAndTheLimit() {
        String id = s.createAxon("val");
        Map<String, Object> ok = event("t", "p");
        assertThat(missing(id, ok, "event_type")).isEqualTo("event_type");
        assertThat(missing(id, ok, "origin")).isEqualTo("origin");
        assertThat(missing(id, ok, "source")).isEqualTo("source");
        assertThat(missing(id, ok, "payload")).isEqualTo("payload");
        assertThat(with(id, ok, "origin", "SYSTEM_EVENT").errorField()).isEqualTo("origin");
        assertThat(with(id, ok, "origin", "bogus").errorField()).isEqualTo("origin");
        assertThat(with(id, ok, "event_type", "").errorField()).isEqualTo("event_type");
        assertThat(with(id, ok, "event_type", "e".repeat(257)).errorField()).isEqualTo("event_type");
        assertThat(with(id, ok, "source", "s".repeat(257)).errorField()).isEqualTo("source");
        assertThat(with(id, ok, "event_type", "e".repeat(256)).status()).isEqualTo(200);
        assertThat(with(id, ok, "payload", 12).errorField()).isEqualTo("payload");
        var big = with(id, ok, "payload", "x".repeat((1 << 20) + 1));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.errorField()).isEqualTo("payload");
        assertThat(big.json().path("error").path("message").asText()).contains("1048576");
        assertThat(with(id, ok, "payload", "x".repeat(1 << 20)).status()).isEqualTo(200);
        // multi-byte characters count as their UTF-8 bytes
        assertThat(with(id, ok, "payload", "é".repeat((1 << 19) + 1)).status()).isEqualTo(413);
        var body = s.post("/v1/axons/" + id + "/publish", "{\"payload\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThat(body.status()).isEqualTo(413);
        assertThat(body.errorField()).isEqualTo("body");
        assertThat(s.get("/v1/axons/" + id + "/events?starting_after=-3").errorField()).isEqualTo("starting_after");
        assertThat(s.get("/v1/axons/" + id + "/events?starting_after=abc").errorField()).isEqualTo("starting_after");
        assertThat(s.get("/v1/axons/" + id + "/events?limit=5001").errorField()).isEqualTo("limit");
        assertThat(s.publish("axn_doesnotexist", "t", "p").status()).isEqualTo(404);
    }

    private static String missing(String id, Map<String, Object> ok, String field) {
        Map<String, Object> m = new HashMap<>(ok);
        m.remove(field);
        var r = s.post("/v1/axons/" + id + "/publish", m);
        assertThat(r.status()).isEqualTo(400);
        return r.errorField();
    }

    private static TestServer.Reply with(String id, Map<String, Object> ok, String field, Object value) {
        Map<String, Object> m = new HashMap<>(ok);
        m.put(field, value);
        return s.post("/v1/axons/" + id + "/publish", m);
    }

    static List<Long> seqs(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("sequence").asLong()));
        return out;
    }
}
