package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Intents over HTTP against a real server: create, read, list, resolve exactly once, cancel, idempotent retries,
 * their events on the axon's stream, and the long poll.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class IntentApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @InjectServer
    static TestServer s;

    static JsonNode create(String axon, String body) {
        TestServer.Reply r = s.post("/v1/axons/" + axon + "/intents", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static List<JsonNode> intentEvents(String axon) {
        JsonNode events = s.get("/v1/axons/" + axon + "/events?limit=1000").json().get("events");
        List<JsonNode> out = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("event_type").asText().startsWith("intent.")) {
                out.add(e);
            }
        });
        out.sort((a, b) -> Long.compare(a.get("sequence").asLong(), b.get("sequence").asLong()));
        return out;
    }

    @Test
    void createReadResolveWithEventsOnTheStream() throws Exception {
        String axon = s.createAxon("refunds");
        JsonNode created = create(axon, """
                {"kind":"refund_approval","waiting_for":"human","title":"Refund order 42?",
                 "payload":{"order":42,"amount":"19.90"},"assignee":"manager@example.com"}""");
        String id = created.get("id").asText();
        assertThat(id).matches("int_[a-z2-7]{26}");
        assertThat(created.get("status").asText()).isEqualTo("waiting");
        assertThat(created.get("axon_id").asText()).isEqualTo(axon);
        assertThat(created.get("payload").get("order").asInt()).isEqualTo(42);
        assertThat(created.get("resolution").isNull()).isTrue();
        assertThat(created.get("on_deadline").asText()).isEqualTo("expire");
        assertThat(created.get("escalation_level").asInt()).isZero();
        assertThat(created.has("deadline_ms")).isTrue();

        assertThat(s.get("/v1/intents/" + id).json()).isEqualTo(created);

        TestServer.Reply resolved = s.post("/v1/intents/" + id + "/resolve",
                "{\"outcome\":\"approved\",\"result\":{\"refund_id\":\"r_1\"},\"comment\":\"ok\"}");
        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        JsonNode view = resolved.json();
        assertThat(view.get("status").asText()).isEqualTo("completed");
        assertThat(view.get("resolution").get("outcome").asText()).isEqualTo("approved");
        assertThat(view.get("resolution").get("result").get("refund_id").asText()).isEqualTo("r_1");
        assertThat(view.get("resolution").get("resolved_by").asText()).startsWith("key_");
        assertThat(view.get("resolved_at_ms").asLong()).isPositive();

        List<JsonNode> events = intentEvents(axon);
        assertThat(events).extracting(e -> e.get("event_type").asText())
                .containsExactly("intent.created", "intent.resolved");
        assertThat(events).allSatisfy(e -> assertThat(e.get("origin").asText()).isEqualTo("SYSTEM_EVENT"));
        assertThat(JSON.readTree(events.get(0).get("payload").asText())).isEqualTo(created);
        assertThat(JSON.readTree(events.get(1).get("payload").asText())).isEqualTo(view);
    }

    @Test
    void numbersReadBackAsTheyWereAccepted() {
        String axon = s.createAxon("numbers");
        JsonNode created = create(axon, "{\"kind\":\"n\",\"waiting_for\":\"tool\","
                + "\"payload\":{\"huge\":1e400,\"precise\":12345678901234567.5}}");
        String read = s.get("/v1/intents/" + created.get("id").asText()).body();
        assertThat(read).contains("\"huge\":1E+400").contains("\"precise\":12345678901234567.5");
    }

    @Test
    void ofFiftyConcurrentResolversExactlyOneWins() throws Exception {
        String axon = s.createAxon("race");
        String id = create(axon, "{\"kind\":\"deploy\",\"waiting_for\":\"tool\"}").get("id").asText();
        int n = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<TestServer.Reply>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String outcome = i % 2 == 0 ? "completed" : "failed";
                int caller = i;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return s.post("/v1/intents/" + id + "/resolve",
                            "{\"outcome\":\"" + outcome + "\",\"comment\":\"resolver " + caller + "\"}");
                }, pool));
            }
            go.countDown();
            List<TestServer.Reply> replies = calls.stream().map(CompletableFuture::join).toList();
            List<TestServer.Reply> won = replies.stream().filter(r -> r.status() == 200).toList();
            assertThat(won).hasSize(1);
            JsonNode winner = won.get(0).json();
            assertThat(replies.stream().filter(r -> r.status() == 409)).hasSize(n - 1)
                    .allSatisfy(r -> assertThat(r.json().get("intent")).isEqualTo(winner));
        }
        assertThat(intentEvents(axon)).extracting(e -> e.get("event_type").asText())
                .containsExactly("intent.created", "intent.resolved");
        TestServer.Reply again = s.post("/v1/intents/" + id + "/cancel", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").get("message").asText()).contains("no longer waiting");
    }

    @Test
    void retriesUnderOneKeyApplyOnce() {
        String axon = s.createAxon("retries");
        String body = "{\"kind\":\"ci\",\"waiting_for\":\"tool\",\"title\":\"build 7\"}";
        TestServer.Reply first = s.post("/v1/axons/" + axon + "/intents", body, Map.of("Idempotency-Key", "k-1"));
        TestServer.Reply second = s.post("/v1/axons/" + axon + "/intents", body, Map.of("Idempotency-Key", "k-1"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json()).isEqualTo(first.json());
        TestServer.Reply reused = s.post("/v1/axons/" + axon + "/intents",
                "{\"kind\":\"ci\",\"waiting_for\":\"tool\",\"title\":\"build 8\"}", Map.of("Idempotency-Key", "k-1"));
        assertThat(reused.status()).isEqualTo(422);

        String id = first.json().get("id").asText();
        String resolve = "{\"outcome\":\"completed\",\"result\":{\"green\":true}}";
        TestServer.Reply r1 = s.post("/v1/intents/" + id + "/resolve", resolve, Map.of("Idempotency-Key", "r-1"));
        TestServer.Reply r2 = s.post("/v1/intents/" + id + "/resolve", resolve, Map.of("Idempotency-Key", "r-1"));
        assertThat(r1.status()).isEqualTo(200);
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.json()).isEqualTo(r1.json());
        assertThat(intentEvents(axon)).hasSize(2);
    }

    @Test
    void relativeTimesMakeARetryTheSameRequestWheneverItIsSent() {
        String axon = s.createAxon("relative");
        String body = "{\"kind\":\"deploy\",\"waiting_for\":\"human\",\"deadline_in_ms\":600000}";
        long before = System.currentTimeMillis();
        TestServer.Reply first = s.post("/v1/axons/" + axon + "/intents", body, Map.of("Idempotency-Key", "rel-1"));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long deadline = first.json().get("deadline_ms").asLong();
        assertThat(deadline).isBetween(before + 600_000, System.currentTimeMillis() + 600_000);
        TestServer.Reply retry = s.post("/v1/axons/" + axon + "/intents", body, Map.of("Idempotency-Key", "rel-1"));
        assertThat(retry.json()).isEqualTo(first.json());
        String timer = "{\"kind\":\"t\",\"waiting_for\":\"time\",\"fire_in_ms\":0}";
        String fired = create(axon, timer).get("id").asText();
        assertThat(Await.until("a timer due at once", Duration.ofSeconds(30),
                () -> s.get("/v1/intents/" + fired).json(), i -> !i.get("status").asText().equals("waiting"))
                .get("resolution").get("outcome").asText()).isEqualTo("fired");
        TestServer.Reply both = s.post("/v1/axons/" + axon + "/intents",
                "{\"kind\":\"d\",\"waiting_for\":\"human\",\"deadline_in_ms\":5000,\"deadline_ms\":" + (before + 9000) + "}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.errorField()).isEqualTo("deadline_in_ms");
    }

    @Test
    void longPollAnswersWhenResolvedElsewhere() throws Exception {
        String axon = s.createAxon("poll");
        String id = create(axon, "{\"kind\":\"answer\",\"waiting_for\":\"agent\"}").get("id").asText();
        CompletableFuture<TestServer.Reply> poll = CompletableFuture.supplyAsync(
                () -> s.get("/v1/intents/" + id + "?wait_ms=60000"));
        Await.until("the long poll to park", Duration.ofSeconds(30), () -> s.metric("myelin_intents_waiters") >= 1);
        assertThat(poll).isNotDone();
        s.post("/v1/intents/" + id + "/resolve", "{\"outcome\":\"completed\",\"result\":\"42\"}");
        JsonNode answered = poll.get(30, TimeUnit.SECONDS).json();
        assertThat(answered.get("status").asText()).isEqualTo("completed");
        assertThat(answered.get("resolution").get("result").asText()).isEqualTo("42");
        // A long poll on an intent that already ended answers at once.
        assertThat(s.get("/v1/intents/" + id + "?wait_ms=60000").json().get("status").asText()).isEqualTo("completed");
        // A short one that times out answers the intent as it is.
        String other = create(axon, "{\"kind\":\"answer\",\"waiting_for\":\"agent\"}").get("id").asText();
        assertThat(s.get("/v1/intents/" + other + "?wait_ms=50").json().get("status").asText()).isEqualTo("waiting");
    }

    @Test
    void inboxListsWaitingHumanIntentsByAssigneeWithCursorPaging() {
        String axon = s.createAxon("inbox");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(create(axon, "{\"kind\":\"approve\",\"waiting_for\":\"human\",\"assignee\":\"ana\",\"title\":\"#"
                    + i + "\"}").get("id").asText());
        }
        create(axon, "{\"kind\":\"approve\",\"waiting_for\":\"human\",\"assignee\":\"bo\"}");
        create(axon, "{\"kind\":\"approve\",\"waiting_for\":\"tool\",\"assignee\":\"ana\"}");
        s.post("/v1/intents/" + mine.remove(4) + "/cancel", "{\"reason\":\"dup\"}");

        String q = "/v1/intents?axon_id=" + axon + "&status=waiting&waiting_for=human&assignee=ana&limit=3";
        JsonNode page1 = s.get(q + "&include_total_count=true").json();
        assertThat(page1.get("total_count").asInt()).isEqualTo(4);
        assertThat(page1.get("has_more").asBoolean()).isTrue();
        JsonNode page2 = s.get(q + "&starting_after=" + page1.get("intents").get(2).get("id").asText()).json();
        assertThat(page2.get("has_more").asBoolean()).isFalse();
        List<String> seen = new ArrayList<>();
        page1.get("intents").forEach(i -> seen.add(i.get("id").asText()));
        page2.get("intents").forEach(i -> seen.add(i.get("id").asText()));
        assertThat(seen).isEqualTo(mine);
        assertThat(page2.get("total_count").isNull()).isTrue();
    }

    @Test
    void aDeletedAxonTakesItsIntentsWithIt() {
        String axon = s.createAxon("gone");
        String id = create(axon, "{\"kind\":\"x\",\"waiting_for\":\"human\"}").get("id").asText();
        assertThat(s.delete("/v1/axons/" + axon).status()).isEqualTo(200);
        assertThat(s.get("/v1/intents/" + id).status()).isEqualTo(404);
        assertThat(s.post("/v1/intents/" + id + "/resolve", "{\"outcome\":\"approved\"}").status()).isEqualTo(404);
        assertThat(s.get("/v1/intents?axon_id=" + axon).json().get("intents")).isEmpty();
        assertThat(s.post("/v1/axons/" + axon + "/intents", "{\"kind\":\"x\",\"waiting_for\":\"human\"}").status())
                .isEqualTo(404);
    }
}
