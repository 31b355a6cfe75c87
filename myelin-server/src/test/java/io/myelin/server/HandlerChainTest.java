package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of the handler chain (request id → errors → routing → authentication → authorisation → route) as a
 * client sees it, the request id every answer carries, and the acting user header.
 */
@Timeout(60)
@WithMyelinServer
class HandlerChainTest {
    @InjectServer
    static TestServer s;
    static RawHttp raw;

    @BeforeAll
    static void start() throws Exception {
        raw = new RawHttp(s.server().port());
    }

    static HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(s.uri(path));
    }

    @Test
    void routingComesBeforeAuthentication() {
        var unknown = s.send(anonymous("/v1/nothing").GET().build());
        assertThat(unknown.status()).as("an unknown route without a key").isEqualTo(404);
        assertThat(unknown.errorType()).isEqualTo("not_found");

        var wrongMethod = s.send(anonymous("/v1/axons").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(wrongMethod.status()).as("a known path, wrong method, without a key").isEqualTo(405);
        assertThat(wrongMethod.response().headers().firstValue("allow").orElse("")).contains("GET").contains("POST");

        RawHttp.Answer badPath = raw.bodiless("GET", "/v1/axons/x;y");
        assertThat(badPath.status()).as("a path that does not decode, without a key").isEqualTo(400);
        assertThat(badPath.errorField()).isEqualTo("path");

        var known = s.send(anonymous("/v1/axons").GET().build());
        assertThat(known.status()).as("a known route without a key").isEqualTo(401);
        assertThat(known.response().headers().firstValue("www-authenticate")).contains("Bearer");

        assertThat(s.send(anonymous("/healthz").GET().build()).status()).as("public routes need no key").isEqualTo(200);
    }

    @Test
    void authenticationComesBeforeTheActingUserAndTheRoute() {
        var badKeyBadUser = s.send(anonymous("/v1/axons").header("Authorization", "Bearer wrong")
                .header("X-Myelin-User", "x".repeat(129)).GET().build());
        assertThat(badKeyBadUser.status()).isEqualTo(401);

        var badUser = s.send(s.request("/v1/axons").header("X-Myelin-User", "x".repeat(129)).GET().build());
        assertThat(badUser.status()).isEqualTo(400);
        assertThat(badUser.errorField()).isEqualTo("X-Myelin-User");
        assertThat(badUser.json().path("error").path("message").asText()).contains("1..128").contains("129");

        RawHttp.Answer nonAscii = raw.bodiless("GET", "/v1/axons", "Authorization: Bearer " + TestServer.ADMIN_KEY,
                "X-Myelin-User: j\u00f6rg");
        assertThat(nonAscii.status()).isEqualTo(400);
        assertThat(nonAscii.errorField()).isEqualTo("X-Myelin-User");

        assertThat(s.send(s.request("/v1/axons").header("X-Myelin-User", "alice@example.com").GET().build()).status())
                .isEqualTo(200);
    }

    @Test
    void theActingUserIsPartOfARetrysIdentity() {
        String id = s.createAxon("acting");
        Map<String, Object> event = Map.of("event_type", "m", "origin", "USER_EVENT", "source", "s", "payload", "{}");
        var first = s.post("/v1/axons/" + id + "/publish", event, Map.of("Idempotency-Key", "k-1", "X-Myelin-User", "alice"));
        assertThat(first.status()).isEqualTo(200);
        var retry = s.post("/v1/axons/" + id + "/publish", event, Map.of("Idempotency-Key", "k-1", "X-Myelin-User", "alice"));
        assertThat(retry.body()).isEqualTo(first.body());
        var otherUser = s.post("/v1/axons/" + id + "/publish", event, Map.of("Idempotency-Key", "k-1", "X-Myelin-User", "bob"));
        assertThat(otherUser.status()).isEqualTo(422);
        assertThat(otherUser.errorField()).isEqualTo("Idempotency-Key");
    }

    @Test
    void everyAnswerCarriesTheRequestId() {
        var echoed = s.send(s.request("/v1/axons").header("X-Request-Id", "trace-42").GET().build());
        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.response().headers().firstValue("x-request-id")).contains("trace-42");

        var generated = s.get("/v1/axons");
        assertThat(generated.response().headers().firstValue("x-request-id").orElseThrow()).matches("req_[0-9a-f]{24}");
        assertThat(s.get("/v1/axons").response().headers().firstValue("x-request-id"))
                .isNotEqualTo(generated.response().headers().firstValue("x-request-id"));

        String longest = "r".repeat(128);
        assertThat(s.send(s.request("/v1/axons").header("X-Request-Id", longest).GET().build())
                .response().headers().firstValue("x-request-id")).contains(longest);
        assertThat(s.send(s.request("/v1/axons").header("X-Request-Id", longest + "r").GET().build())
                .response().headers().firstValue("x-request-id").orElseThrow()).as("too long: replaced").matches("req_[0-9a-f]{24}");
        RawHttp.Answer nonAscii = raw.bodiless("GET", "/v1/axons", "Authorization: Bearer " + TestServer.ADMIN_KEY,
                "X-Request-Id: caf\u00e9");
        assertThat(nonAscii.status()).isEqualTo(200);
        assertThat(nonAscii.headers().get("x-request-id")).matches("req_[0-9a-f]{24}");

        var notFound = s.send(anonymous("/v1/nothing").header("X-Request-Id", "trace-404").GET().build());
        assertThat(notFound.response().headers().firstValue("x-request-id")).contains("trace-404");
        var unauthorized = s.send(anonymous("/v1/axons").header("X-Request-Id", "trace-401").GET().build());
        assertThat(unauthorized.response().headers().firstValue("x-request-id")).contains("trace-401");

        RawHttp.Answer refusedByJetty = raw.bodiless("GET", "/v1/axons", "X-Request-Id: trace-431",
                "X-Big: " + "x".repeat(20_000));
        assertThat(refusedByJetty.status()).isEqualTo(431);
        assertThat(refusedByJetty.headers().get("content-type")).startsWith("application/json");
        assertThat(refusedByJetty.headers().get("x-request-id")).isNotEmpty();
    }
}
