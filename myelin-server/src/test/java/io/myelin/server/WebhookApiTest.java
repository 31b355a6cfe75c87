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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Webhook management on a server with the default settings: private targets refused (SSRF), every field checked. */
@WithMyelinServer
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebhookApiTest {
    static final String PUBLIC = "https://8.8.8.8/hooks";

    @InjectServer
    TestServer server;

    private TestServer.Reply create(Object body) {
        return server.post("/v1/webhooks", body);
    }

    private void refused(Object body, int status, String field) {
        TestServer.Reply r = create(body);
        assertThat(r.status()).as(body + " → " + r).isEqualTo(status);
        assertThat(r.errorField()).as(body + " → " + r).isEqualTo(field);
    }

    @Test
    void privateTargetsAreRefused() {
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.0.0.1/", "http://[::1]/",
                "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0/",
                "http://224.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://192.168.0.10/", "http://172.20.1.1/")) {
            TestServer.Reply r = create(Map.of("url", url, "event_types", List.of("*")));
            assertThat(r.status()).as(url + " → " + r).isEqualTo(400);
            assertThat(r.errorField()).isEqualTo("url");
            assertThat(r.body()).contains("webhooks.allow-private-targets");
        }
    }

    @Test
    void everyFieldIsChecked() {
        Map<String, Object> ok = Map.of("url", PUBLIC, "event_types", List.of("a.*"));
        refused(Map.of("event_types", List.of("*")), 400, "url");
        refused(with(ok, "url", 5), 400, "url");
        refused(with(ok, "url", "ftp://example.com/"), 400, "url");
        refused(with(ok, "url", "https://u:p@example.com/"), 400, "url");
        refused(with(ok, "url", "https://example.com/#x"), 400, "url");
        refused(with(ok, "url", "https://example.com/" + "a".repeat(2030)), 400, "url");
        refused(with(ok, "url", "not a url"), 400, "url");
        refused(Map.of("url", PUBLIC), 400, "event_types");
        refused(with(ok, "event_types", "a.*"), 400, "event_types");
        refused(with(ok, "event_types", List.of()), 400, "event_types");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add("t" + i);
        }
        refused(with(ok, "event_types", many), 400, "event_types");
        refused(with(ok, "event_types", List.of("a", 7)), 400, "event_types[1]");
        refused(with(ok, "event_types", List.of("a*b")), 400, "event_types[0]");
        refused(with(ok, "event_types", List.of("*.x")), 400, "event_types[0]");
        refused(with(ok, "event_types", List.of(".*")), 400, "event_types[0]");
        refused(with(ok, "event_types", List.of("ok", "")), 400, "event_types[1]");
        refused(with(ok, "event_types", List.of("a b")), 400, "event_types[0]");
        refused(with(ok, "event_types", List.of("a", "a")), 400, "event_types[1]");
        refused(with(ok, "event_types", List.of("x".repeat(300))), 400, "event_types[0]");
        refused(with(ok, "axon_id", 1), 400, "axon_id");
        refused(with(ok, "axon_id", "axn_doesnotexist"), 404, "axon_id");
        refused(with(ok, "secret", "whsec_mine"), 400, "secret");
        TestServer.Reply notObject = create(List.of(1));
        assertThat(notObject.status()).isEqualTo(400);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void createShowsTheSecretOnceAndListsPage() {
        String axon = server.createAxon("api");
        TestServer.Reply r = create(Map.of("url", PUBLIC, "event_types", List.of("intent.*", "note"), "axon_id", axon));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode created = r.json();
        String id = created.get("id").asText();
        assertThat(id).startsWith("wh_");
        assertThat(created.get("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(created.get("axon_id").asText()).isEqualTo(axon);
        assertThat(created.get("event_types")).hasSize(2);
        assertThat(created.get("created_at_ms").isNumber()).isTrue();

        JsonNode got = server.get("/v1/webhooks/" + id).json();
        assertThat(got.has("secret")).isFalse();
        assertThat(got.get("url").asText()).isEqualTo(PUBLIC);
        String every = create(Map.of("url", PUBLIC, "event_types", List.of("*"))).json().get("id").asText();
        JsonNode everyView = server.get("/v1/webhooks/" + every).json();
        assertThat(everyView.has("axon_id")).isTrue();
        assertThat(everyView.get("axon_id").isNull()).isTrue();

        JsonNode first = server.get("/v1/webhooks?limit=1").json();
        assertThat(first.get("webhooks")).hasSize(1);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("webhooks").get(0).has("secret")).isFalse();
        String cursor = first.get("webhooks").get(0).get("id").asText();
        JsonNode rest = server.get("/v1/webhooks?limit=1000&starting_after=" + cursor).json();
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        rest.get("webhooks").forEach(w -> ids.add(w.get("id").asText()));
        assertThat(ids).contains(every).doesNotContain(cursor);

        assertThat(server.get("/v1/webhooks?limit=0").errorField()).isEqualTo("limit");
        assertThat(server.get("/v1/webhooks?starting_after=wh_nope").errorField()).isEqualTo("starting_after");
        assertThat(server.get("/v1/webhooks/" + id + "/deliveries?status=lost").errorField()).isEqualTo("status");
        assertThat(server.get("/v1/webhooks/" + id + "/deliveries?starting_after=msg_nope").errorField())
                .isEqualTo("starting_after");
        assertThat(server.get("/v1/webhooks/" + id + "/deliveries").json().get("deliveries")).isEmpty();
        assertThat(server.get("/v1/webhooks/wh_nope").status()).isEqualTo(404);
        assertThat(server.get("/v1/webhooks/wh_nope/deliveries").status()).isEqualTo(404);
        assertThat(server.post("/v1/webhooks/" + id + "/deliveries/msg_nope/retry", "").status()).isEqualTo(404);
        assertThat(server.post("/v1/webhooks/wh_nope/deliveries/msg_nope/retry", "").status()).isEqualTo(404);
        assertThat(server.delete("/v1/webhooks/" + id).status()).isEqualTo(200);
        assertThat(server.delete("/v1/webhooks/" + every).status()).isEqualTo(200);
    }

    @Test
    void theNumberOfWebhooksIsCapped() {
        try (TestServer small = TestServer.start(Map.of("webhooks.max-webhooks", "2"))) {
            Map<String, Object> body = Map.of("url", PUBLIC, "event_types", List.of("*"));
            String first = small.post("/v1/webhooks", body).json().get("id").asText();
            assertThat(small.post("/v1/webhooks", body).status()).isEqualTo(201);
            TestServer.Reply third = small.post("/v1/webhooks", body);
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.body()).contains("webhooks.max-webhooks");
            assertThat(small.delete("/v1/webhooks/" + first).status()).isEqualTo(200);
            assertThat(small.post("/v1/webhooks", body).status()).isEqualTo(201);
        }
    }

    @Test
    void aRetryUnderOneKeyCreatesOneWebhookAndAnswersTheSameSecret() {
        Map<String, Object> body = Map.of("url", PUBLIC, "event_types", List.of("intent.*"));
        TestServer.Reply first = server.post("/v1/webhooks", body, Map.of("Idempotency-Key", "wh-create-1"));
        TestServer.Reply again = server.post("/v1/webhooks", body, Map.of("Idempotency-Key", "wh-create-1"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        String id = first.json().get("id").asText();
        long copies = java.util.stream.StreamSupport.stream(
                server.get("/v1/webhooks?limit=1000").json().get("webhooks").spliterator(), false)
                .filter(w -> w.get("id").asText().equals(id)).count();
        assertThat(copies).isEqualTo(1);
        TestServer.Reply other = server.post("/v1/webhooks", Map.of("url", PUBLIC, "event_types", List.of("*")),
                Map.of("Idempotency-Key", "wh-create-1"));
        assertThat(other.status()).isEqualTo(422);
    }

    @Test
    void withoutAKeyNothingIsServed() {
        var r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/v1/webhooks")).GET().build());
        assertThat(r.status()).isEqualTo(401);
    }
}
