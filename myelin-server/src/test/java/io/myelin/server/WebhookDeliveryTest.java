package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook deliveries end to end: a real server pushes to a real receiver on loopback (private targets allowed, a
 * three-attempt schedule of short delays), which fails attempts on purpose. Signatures are checked with the Standard
 * Webhooks Java library, as a receiver would.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebhookDeliveryTest {
    static final Map<String, String> SETTINGS = Map.of("webhooks.allow-private-targets", "true",
            "webhooks.retry-schedule", "0s,20ms,20ms", "webhooks.attempt-timeout", "10s");

    static TestServer server;
    static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(SETTINGS);
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        server.close();
    }

    /** Creates a webhook on {@code path} of the receiver; returns {id, secret, ...}. */
    static JsonNode createWebhook(TestServer s, String path, List<String> types, String axonId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", receiver.url(path), "event_types", types));
        if (axonId != null) {
            body.put("axon_id", axonId);
        }
        TestServer.Reply r = s.post("/v1/webhooks", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    static JsonNode deliveries(TestServer s, String webhookId, String query) {
        TestServer.Reply r = s.get("/v1/webhooks/" + webhookId + "/deliveries" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("deliveries");
    }

    /** Waits until the webhook has {@code n} deliveries, all with {@code status}; returns them oldest first. */
    static JsonNode awaitAll(TestServer s, String webhookId, int n, String status) {
        return Await.until(n + " deliveries " + status + " of " + webhookId, Duration.ofSeconds(60),
                () -> deliveries(s, webhookId, "?limit=1000"), d -> {
                    if (d.size() != n) {
                        return false;
                    }
                    for (JsonNode x : d) {
                        if (!x.get("status").asText().equals(status)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    void retriesCarryTheSameIdAndAValidSignature() throws Exception {
        String path = "/retries";
        receiver.answer(WebhookReceiver.failFirst(2));
        String axon = server.createAxon("retries");
        JsonNode hook = createWebhook(server, path, List.of("order.*"), axon);
        assertThat(hook.get("secret").asText()).startsWith("whsec_");
        server.publish(axon, "order.created", "{\"n\":1,\"items\":[\"a\"]}");

        JsonNode d = awaitAll(server, hook.get("id").asText(), 1, "delivered").get(0);
        List<WebhookReceiver.Received> got = receiver.received(path);
        assertThat(got).hasSize(3);
        assertThat(got).extracting(WebhookReceiver.Received::id).containsOnly(d.get("id").asText());
        assertThat(d.get("id").asText()).startsWith("msg_");
        for (WebhookReceiver.Received r : got) {
            r.verify(hook.get("secret").asText()); // throws when the signature or timestamp is wrong
            assertThat(r.signature()).startsWith("v1,");
            assertThat(r.headers().get("content-type")).containsExactly("application/json");
        }
        assertThat(d.get("attempts").asInt()).isEqualTo(3);
        assertThat(d.get("last_response_status").asInt()).isEqualTo(200);
        assertThat(d.get("last_error").isNull()).isTrue();
        assertThat(d.get("delivered_at_ms").isNumber()).isTrue();
        assertThat(d.get("next_attempt_at_ms").isNull()).isTrue();
        assertThat(d.get("event_type").asText()).isEqualTo("order.created");
        assertThat(d.get("axon_id").asText()).isEqualTo(axon);
        assertThat(d.get("sequence").asLong()).isEqualTo(1);

        JsonNode body = got.get(0).json();
        assertThat(body.get("type").asText()).isEqualTo("order.created");
        assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode data = body.get("data");
        assertThat(data.get("axon_id").asText()).isEqualTo(axon);
        assertThat(data.get("sequence").asLong()).isEqualTo(1);
        assertThat(data.get("origin").asText()).isEqualTo("USER_EVENT");
        assertThat(data.get("source").asText()).isEqualTo("test");
        assertThat(data.get("payload").get("items").get(0).asText()).isEqualTo("a");
        assertThat(got).extracting(WebhookReceiver.Received::body).containsOnly(got.get(0).body());
    }

    @Test
    void eachWebhookGetsItsChangesInOrder() {
        String path = "/order";
        receiver.answer(WebhookReceiver.failFirst(1));
        String axon = server.createAxon("order");
        JsonNode hook = createWebhook(server, path, List.of("*"), null);
        int n = 6;
        for (int i = 1; i <= n; i++) {
            server.publish(axon, "step", i % 2 == 0 ? "plain text " + i : "{\"i\":" + i + "}");
        }
        awaitAll(server, hook.get("id").asText(), n, "delivered");
        List<Long> sequences = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.received(path)) {
            if (r.json().get("data").get("axon_id").asText().equals(axon)) {
                sequences.add(r.sequence());
            }
        }
        // each delivery twice (one failure, then the success), and never one before the previous was delivered
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            expected.add(i);
            expected.add(i);
        }
        assertThat(sequences).isEqualTo(expected);
        JsonNode plain = receiver.received(path).stream().filter(r -> r.json().get("data").get("axon_id").asText()
                .equals(axon) && r.sequence() == 2).findFirst().orElseThrow().json();
        assertThat(plain.get("data").get("payload").asText()).isEqualTo("plain text 2");
    }

    @Test
    void aDeadReceiverEndsDeadAndAManualRetryDeliversIt() {
        String path = "/dead";
        receiver.answer(r -> r.path().equals(path) ? 500 : 200);
        String axon = server.createAxon("dead");
        JsonNode hook = createWebhook(server, path, List.of("alert.raised"), axon);
        String id = hook.get("id").asText();
        server.publish(axon, "alert.raised", "{}");
        JsonNode dead = awaitAll(server, id, 1, "dead").get(0);
        assertThat(dead.get("attempts").asInt()).isEqualTo(3);
        assertThat(dead.get("last_response_status").asInt()).isEqualTo(500);
        assertThat(dead.get("last_error").asText()).contains("500");
        assertThat(dead.get("next_attempt_at_ms").isNull()).isTrue();
        assertThat(receiver.received(path)).hasSize(3);
        assertThat(deliveries(server, id, "?status=dead")).hasSize(1);
        assertThat(deliveries(server, id, "?status=pending")).isEmpty();
        assertThat(server.metric("myelin_webhooks_attempts_total{outcome=\"dead\"}")).isGreaterThanOrEqualTo(1);
        assertThat(server.metric("myelin_webhooks_attempts_total{outcome=\"failed\"}")).isGreaterThanOrEqualTo(2);
        assertThat(server.metric("myelin_webhooks_attempts_in_flight")).isGreaterThanOrEqualTo(0);

        receiver.answer(r -> 200);
        TestServer.Reply retried = server.post("/v1/webhooks/" + id + "/deliveries/" + dead.get("id").asText()
                + "/retry", "");
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().get("status").asText()).isIn("pending", "delivered");
        JsonNode delivered = awaitAll(server, id, 1, "delivered").get(0);
        assertThat(delivered.get("id").asText()).isEqualTo(dead.get("id").asText());
        assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        assertThat(receiver.received(path)).extracting(WebhookReceiver.Received::id)
                .containsOnly(dead.get("id").asText()).hasSize(4);
    }

    @Test
    void redirectsAreNotFollowed() {
        String path = "/moved";
        receiver.answer(r -> r.path().equals(path) ? 307 : 200);
        String axon = server.createAxon("moved");
        JsonNode hook = createWebhook(server, path, List.of("x"), axon);
        server.publish(axon, "x", "{}");
        JsonNode dead = awaitAll(server, hook.get("id").asText(), 1, "dead").get(0);
        assertThat(dead.get("last_response_status").asInt()).isEqualTo(307);
        assertThat(receiver.received("/redirected")).isEmpty();
    }

    @Test
    void patternsAndTheAxonFilterChooseTheEvents() {
        receiver.answer(r -> 200);
        String a = server.createAxon("filter-a");
        String b = server.createAxon("filter-b");
        String exact = createWebhook(server, "/exact", List.of("intent.resolved"), null).get("id").asText();
        String prefix = createWebhook(server, "/prefix", List.of("intent.*"), a).get("id").asText();
        String two = createWebhook(server, "/two", List.of("intent.created", "note"), b).get("id").asText();
        for (String axon : List.of(a, b)) {
            for (String type : List.of("intent.created", "intent.resolved", "intentional", "note")) {
                server.publish(axon, type, "{}");
            }
        }
        assertThat(types(awaitAll(server, exact, 2, "delivered"))).containsExactly(a + " intent.resolved",
                b + " intent.resolved");
        assertThat(types(awaitAll(server, prefix, 2, "delivered"))).containsExactly(a + " intent.created",
                a + " intent.resolved");
        assertThat(types(awaitAll(server, two, 2, "delivered"))).containsExactly(b + " intent.created", b + " note");
    }

    private static List<String> types(JsonNode deliveries) {
        List<String> out = new ArrayList<>();
        deliveries.forEach(d -> out.add(d.get("axon_id").asText() + " " + d.get("event_type").asText()));
        return out;
    }

    @Test
    void intentChangesArePushedWithTheIntentViewAsPayload() {
        String path = "/intents";
        receiver.answer(r -> 200);
        String axon = server.createAxon("intents");
        String hook = createWebhook(server, path, List.of("intent.*"), axon).get("id").asText();
        TestServer.Reply created = server.post("/v1/axons/" + axon + "/intents",
                Map.of("kind", "refund_approval", "waiting_for", "human", "payload", Map.of("order", 42)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String intent = created.json().get("id").asText();
        TestServer.Reply resolved = server.post("/v1/intents/" + intent + "/resolve", Map.of("outcome", "approved"));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        awaitAll(server, hook, 2, "delivered");
        List<WebhookReceiver.Received> got = receiver.await(path, 2);
        assertThat(got).extracting(r -> r.json().get("type").asText()).containsExactly("intent.created", "intent.resolved");
        JsonNode view = got.get(1).json().get("data").get("payload");
        assertThat(view.get("id").asText()).isEqualTo(intent);
        assertThat(view.get("status").asText()).isEqualTo("completed");
        assertThat(view.get("resolution").get("outcome").asText()).isEqualTo("approved");
        assertThat(got.get(0).json().get("data").get("origin").asText()).isEqualTo("SYSTEM_EVENT");
        assertThat(got.get(0).json().get("data").get("payload").get("payload").get("order").asInt()).isEqualTo(42);
    }

    @Test
    void deletingAWebhookDropsItsDeliveries() {
        String path = "/deleted";
        receiver.answer(r -> r.path().equals(path) ? 500 : 200);
        String axon = server.createAxon("deleted");
        String gone = createWebhook(server, path, List.of("*"), axon).get("id").asText();
        String kept = createWebhook(server, "/kept", List.of("*"), axon).get("id").asText();
        server.publish(axon, "one", "{}");
        awaitAll(server, gone, 1, "dead");
        TestServer.Reply del = server.delete("/v1/webhooks/" + gone);
        assertThat(del.status()).as(del.toString()).isEqualTo(200);
        assertThat(del.json().get("deleted").asBoolean()).isTrue();
        assertThat(server.get("/v1/webhooks/" + gone).status()).isEqualTo(404);
        assertThat(server.get("/v1/webhooks/" + gone + "/deliveries").status()).isEqualTo(404);
        assertThat(server.delete("/v1/webhooks/" + gone).status()).isEqualTo(404);
        int before = receiver.received(path).size();
        server.publish(axon, "two", "{}");
        awaitAll(server, kept, 2, "delivered");
        assertThat(receiver.received(path)).hasSize(before);
    }

    @Test
    void pagingDeliveries() {
        receiver.answer(r -> 200);
        String axon = server.createAxon("paging");
        String id = createWebhook(server, "/paging", List.of("p"), axon).get("id").asText();
        for (int i = 0; i < 5; i++) {
            server.publish(axon, "p", "{}");
        }
        awaitAll(server, id, 5, "delivered");
        JsonNode first = server.get("/v1/webhooks/" + id + "/deliveries?limit=2").json();
        assertThat(first.get("has_more").asBoolean()).isTrue();
        String cursor = first.get("deliveries").get(1).get("id").asText();
        JsonNode rest = server.get("/v1/webhooks/" + id + "/deliveries?limit=10&starting_after=" + cursor).json();
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        assertThat(rest.get("deliveries")).hasSize(3);
        assertThat(rest.get("deliveries").get(0).get("sequence").asLong()).isEqualTo(3);
    }

    @Test
    void aRestartResumesPendingDeliveries() throws Exception {
        try (TestServer own = TestServer.start(SETTINGS)) {
            String path = "/restart";
            CountDownLatch release = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
            receiver.answer(r -> {
                if (!r.path().equals(path)) {
                    return 200;
                }
                if (held.compareAndSet(false, true)) {
                    try {
                        release.await(60, TimeUnit.SECONDS); // the server stops while this attempt is in flight
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return 500;
                }
                return 200;
            });
            String axon = own.createAxon("restart");
            String id = createWebhook(own, path, List.of("*"), axon).get("id").asText();
            own.publish(axon, "first", "{}");
            own.publish(axon, "second", "{}");
            receiver.await(path, 1);
            own.stop();
            release.countDown();
            own.restart();
            JsonNode done = awaitAll(own, id, 2, "delivered");
            List<WebhookReceiver.Received> got = receiver.received(path);
            String first = done.get(0).get("id").asText();
            assertThat(got.get(0).id()).isEqualTo(first);
            assertThat(got).extracting(WebhookReceiver.Received::id).last().isEqualTo(done.get(1).get("id").asText());
            assertThat(got.stream().filter(r -> r.id().equals(first)).count()).isGreaterThanOrEqualTo(2);
            assertThat(done.get(0).get("attempts").asInt()).isEqualTo(1); // the cut-short attempt was not counted
        }
    }
}
