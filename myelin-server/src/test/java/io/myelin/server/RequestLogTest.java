package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.myelin.server.http.RequestLogging;
import io.myelin.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code http.request-log}: one line per request with the key's id and never the key; nothing when off. */
@Timeout(60)
class RequestLogTest {

    /**
     * Two requests on one connection: the server answers the second only after it has finished the first (and
     * logged it), so once both answers are read the first one's line exists, or never will.
     */
    static void twoOnOneConnection(TestServer s, String first, String second) {
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\n";
        String text = "GET /v1/axons?limit=1 HTTP/1.1\r\nHost: x\r\n" + auth + "X-Request-Id: " + first
                + "\r\nX-Myelin-User: alice\r\n\r\n"
                + "GET /v1/axons HTTP/1.1\r\nHost: x\r\n" + auth + "X-Request-Id: " + second + "\r\nConnection: close\r\n\r\n";
        RawHttp.Answer a = new RawHttp(s.server().port()).exchange(text.getBytes(StandardCharsets.US_ASCII), false);
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void onItLogsOneLinePerRequestWithTheKeyIdAndNotTheKey() throws Exception {
        try (LogCapture log = new LogCapture(RequestLogging.LOGGER, Level.INFO);
             TestServer s = TestServer.start(Map.of("http.request-log", "true"))) {
            twoOnOneConnection(s, "log-on-1", "log-on-2");
            List<String> lines = log.lines("request=log-on-1");
            assertThat(lines).hasSize(1);
            String line = lines.getFirst();
            assertThat(line).matches("method=GET path=/v1/axons status=200 ms=\\d+ bytes=\\d+ key=key_[0-9a-f]{24}"
                    + " request=log-on-1 user=alice");
            assertThat(line).doesNotContain(TestServer.ADMIN_KEY).doesNotContain("limit=1");

            var unauthenticated = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/v1/axons"))
                    .header("Authorization", "Bearer not-the-key").header("X-Request-Id", "log-on-401").GET().build());
            assertThat(unauthenticated.status()).isEqualTo(401);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines("request=log-on-401").size() == 1);
            assertThat(log.lines("request=log-on-401").getFirst())
                    .contains("status=401").contains("key=- ").contains("user=-").doesNotContain("not-the-key");

            RawHttp.Answer refused = new RawHttp(s.server().port()).bodiless("GET", "/v1/axons",
                    "X-Request-Id: log-on-431", "X-Big: " + "x".repeat(20_000));
            assertThat(refused.status()).as("refused by Jetty before the handlers").isEqualTo(431);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines("status=431").size() == 1);
            assertThat(log.lines("status=431").getFirst()).contains("key=- ").doesNotContain("xxxx");

            String publish = s.createAxon("logged");
            var published = s.post("/v1/axons/" + publish + "/publish", Map.of("event_type", "m", "origin", "USER_EVENT",
                    "source", "s", "payload", "secret-payload"), Map.of("X-Request-Id", "log-on-publish"));
            assertThat(published.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines("request=log-on-publish").size() == 1);
            assertThat(log.lines("request=log-on-publish").getFirst())
                    .startsWith("method=POST path=/v1/axons/" + publish + "/publish status=200 ")
                    .contains("bytes=" + published.body().getBytes(StandardCharsets.UTF_8).length + " ")
                    .doesNotContain("secret-payload");
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (LogCapture log = new LogCapture(RequestLogging.LOGGER, Level.INFO);
             TestServer s = TestServer.start()) {
            twoOnOneConnection(s, "log-off-1", "log-off-2");
            assertThat(log.events()).isEmpty();
        }
    }
}
