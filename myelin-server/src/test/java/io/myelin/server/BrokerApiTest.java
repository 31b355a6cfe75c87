package io.myelin.server;

import io.myelin.testkit.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /v1/axons/{id}/broker}: the state a broker beside its agent keeps on the server, and the system events only
 * a broker appends. Over real HTTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerApiTest {
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static TestServer.Reply put(String axon, String body, Map<String, String> headers) {
        HttpRequest.Builder b = s.request("/v1/axons/" + axon + "/broker").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return s.send(b.build());
    }

    static TestServer.Reply put(String axon, String body) {
        return put(axon, body, Map.of());
    }

    @Test
    void aNewAxonHasTheInitialStateAndEachSaveMovesTheVersion() {
        String axon = s.createAxon("state");
        JsonNode initial = s.get("/v1/axons/" + axon + "/broker").json();
        assertThat(initial.path("version").asLong()).isZero();
        assertThat(initial.path("cursor").asLong()).isZero();
        assertThat(initial.path("context").isObject()).isTrue();
        s.publish(axon, "message", "{}");
        s.publish(axon, "message", "{}");

        TestServer.Reply saved = put(axon, "{\"version\":0,\"cursor\":2,\"turn_cursor\":1,\"turn_id\":\"turn_1\","
                + "\"turn_trigger\":1,\"session_id\":\"s1\",\"context\":{\"initialize\":{\"protocolVersion\":1}}}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("version").asLong()).isEqualTo(1);
        JsonNode read = s.get("/v1/axons/" + axon + "/broker").json();
        assertThat(read).isEqualTo(saved.json());
        assertThat(read.path("turn_id").asText()).isEqualTo("turn_1");
        assertThat(read.path("context").path("initialize").path("protocolVersion").asInt()).isEqualTo(1);

        TestServer.Reply stale = put(axon, "{\"version\":0,\"cursor\":2,\"turn_cursor\":2,\"context\":{}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorField()).isEqualTo("version");
        assertThat(stale.response().headers().firstValue("x-should-retry")).contains("false");
    }

    @Test
    void aRetriedSaveGetsTheFirstAnswerInsteadOfAConflict() {
        String axon = s.createAxon("retried-save");
        String body = "{\"version\":0,\"cursor\":0,\"turn_cursor\":0,\"context\":{}}";
        TestServer.Reply first = put(axon, body, Map.of("Idempotency-Key", "save-1"));
        TestServer.Reply again = put(axon, body, Map.of("Idempotency-Key", "save-1"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(s.get("/v1/axons/" + axon + "/broker").json().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void badStatesAreRefusedNamingTheField() {
        String axon = s.createAxon("bad-state");
        s.publish(axon, "message", "{}");
        Map<String, String> cases = Map.of(
                "{\"version\":0,\"cursor\":5,\"turn_cursor\":0,\"context\":{}}", "cursor",
                "{\"version\":0,\"cursor\":1,\"turn_cursor\":2,\"context\":{}}", "turn_cursor",
                "{\"version\":0,\"cursor\":1,\"turn_cursor\":1,\"turn_id\":\"turn_1\",\"context\":{}}", "turn_trigger",
                "{\"version\":0,\"cursor\":1,\"turn_cursor\":1,\"context\":[]}", "context",
                "{\"cursor\":1,\"turn_cursor\":1,\"context\":{}}", "version",
                "{\"version\":-1,\"cursor\":1,\"turn_cursor\":1,\"context\":{}}", "version",
                "{\"version\":0,\"cursor\":1,\"turn_cursor\":1,\"context\":{},\"queue\":[]}", "queue",
                "{\"version\":0,\"cursor\":1,\"turn_cursor\":1,\"session_id\":7,\"context\":{}}", "session_id");
        cases.forEach((body, field) -> {
            TestServer.Reply r = put(axon, body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorField()).as(body).isEqualTo(field);
        });
        TestServer.Reply huge = put(axon, "{\"version\":0,\"cursor\":0,\"turn_cursor\":0,\"context\":{\"x\":\""
                + "a".repeat(300_000) + "\"}}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.errorField()).isEqualTo("context");
        assertThat(s.get("/v1/axons/" + axon + "/broker").json().path("version").asLong()).isZero();
    }

    @Test
    void aBrokerAppendsItsSystemEventsOnceAndNothingElse() {
        String axon = s.createAxon("broker-events");
        String path = "/v1/axons/" + axon + "/broker/events";
        Map<String, Object> started = Map.of("event_type", "turn.started", "payload", "{\"turn_id\":\"turn_1\"}");
        TestServer.Reply first = s.post(path, started, Map.of("Idempotency-Key", "brk-1-started"));
        TestServer.Reply again = s.post(path, started, Map.of("Idempotency-Key", "brk-1-started"));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.json().path("sequence")).isEqualTo(first.json().path("sequence"));
        JsonNode events = s.get("/v1/axons/" + axon + "/events?limit=10").json().path("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("origin").asText()).isEqualTo("SYSTEM_EVENT");
        assertThat(events.get(0).path("source").asText()).isEqualTo("broker");

        TestServer.Reply other = s.post(path, Map.of("event_type", "devbox.running", "payload", "{}"));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.errorField()).isEqualTo("event_type");
        TestServer.Reply reused = s.post(path, Map.of("event_type", "turn.failed", "payload", "{}"),
                Map.of("Idempotency-Key", "brk-1-started"));
        assertThat(reused.status()).isEqualTo(422);
    }

    @Test
    void aDeletedOrUnknownAxonHasNoBrokerState() {
        String axon = s.createAxon("gone");
        assertThat(put(axon, "{\"version\":0,\"cursor\":0,\"turn_cursor\":0,\"context\":{}}").status()).isEqualTo(200);
        assertThat(s.delete("/v1/axons/" + axon).status()).isEqualTo(200);
        assertThat(s.get("/v1/axons/" + axon + "/broker").status()).isEqualTo(404);
        assertThat(put(axon, "{\"version\":1,\"cursor\":0,\"turn_cursor\":0,\"context\":{}}").status()).isEqualTo(404);
        assertThat(s.get("/v1/axons/axn_doesnotexist/broker").status()).isEqualTo(404);
    }
}
