package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.myelin.server.http.RequestLogging;
import io.myelin.testkit.Await;
import io.myelin.testkit.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults of the client — it stops reading, speaks HTTP/0.9, hangs up in the middle of its headers, resets its HTTP/2
 * stream — end as a 4xx or unanswered, are logged at most at INFO and never with a stack trace, and the request log
 * says neither 500 nor the 200 of an answer that never arrived.
 */
@Timeout(120)
class ClientFaultLogTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestServer s;
    private static LogCapture server;
    private static LogCapture jetty;
    private static String axon;

    @BeforeAll
    static void start() {
        server = new LogCapture("io.myelin", Level.DEBUG);
        jetty = new LogCapture("org.eclipse.jetty", Level.INFO);
        s = TestServer.start(Map.of("http.request-log", "true", "http.idle-timeout", "3s", "sse.heartbeat", "200ms",
                "devboxes.wait-timeout", "500ms", "intents.max-wait", "1s"));
        axon = s.createAxon("faults");
        String payload = "\"" + "x".repeat(1_000_000) + "\"";
        for (int i = 0; i < 9; i++) {
            assertThat(s.post("/v1/axons/" + axon + "/publish", Map.of("event_type", "big", "origin", "USER_EVENT",
                    "source", "t", "payload", payload)).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        s.close();
        jetty.close();
        server.close();
    }

    /** Sends a request on a socket with a tiny receive window and never reads the answer. */
    private static Socket stallOn(String method, String path, String body, String requestId) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", s.port()));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nX-Request-Id: "
                + requestId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    /** The request log's line for {@code requestId}, once the answer ended. */
    private static String requestLine(String requestId) {
        return Await.until("the request log line of " + requestId, WAIT,
                () -> server.lines("request=" + requestId + " "), l -> !l.isEmpty()).getFirst();
    }

    private static void assertQuiet(String requestId) {
        List<ILoggingEvent> about = server.events().stream()
                .filter(e -> e.getFormattedMessage().contains(requestId)
                        && !e.getLoggerName().equals(RequestLogging.LOGGER)).toList();
        assertThat(about).as("at most one line, below WARN, without a stack trace").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(e -> {
                    assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).as(e.toString()).isFalse();
                    assertThat(e.getThrowableProxy()).as(e.toString()).isNull();
                });
        assertThat(server.events()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
        assertThat(jetty.events()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    }

    @Test
    void aSqlClientThatStopsReading() throws Exception {
        String sql = "{\"sql\":\"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000)"
                + " SELECT x, hex(zeroblob(10000)) FROM c\"}";
        try (Socket stalled = stallOn("POST", "/v1/axons/" + axon + "/sql/query", sql, "stalled-sql")) {
            String line = requestLine("stalled-sql");
            assertThat(line).contains("status=aborted");
            assertQuiet("stalled-sql");
        }
    }

    @Test
    void aHistoryClientThatStopsReading() throws Exception {
        try (Socket stalled = stallOn("GET", "/v1/axons/" + axon + "/events?limit=100", "", "stalled-history")) {
            String line = requestLine("stalled-history");
            assertThat(line).contains("status=aborted");
            assertQuiet("stalled-history");
        }
    }

    @Test
    void anHttp2StreamResetInTheMiddleOfItsAnswer() throws Exception {
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            h2.request(1, "GET", "/v1/axons/" + axon + "/events?limit=3", null,
                    "authorization", "Bearer " + TestServer.ADMIN_KEY, "x-request-id", "reset-h2");
            h2.readUntil(RawH2.HEADERS, 1);
            h2.readUntil(RawH2.DATA, 1);
            h2.reset(1);
            String line = requestLine("reset-h2");
            assertThat(line).contains("status=aborted");
            assertQuiet("reset-h2");
        }
    }

    @Test
    void anHttp2ConnectIsAnsweredWithAJsonError() throws Exception {
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            // RFC 9113 §8.5: a CONNECT has only :method and :authority; no :path, no :scheme.
            h2.headers(1, true, ":method", "CONNECT", ":authority", "example.com:443", "x-request-id", "h2-connect-bare");
            RawHttp.Answer bare = new RawHttp.Answer(0, Map.of(), h2.body(1));
            assertThat(bare.json().path("error").path("type").asText()).isEqualTo("not_found");
            assertThat(bare.errorMessage()).contains("CONNECT");
            assertThat(requestLine("h2-connect-bare")).contains("status=404");
            // With a :path, as a client that sends one anyway: the same answer, delivered.
            h2.headers(3, true, ":method", "CONNECT", ":authority", "example.com:443", ":path", "/v1/axons",
                    "x-request-id", "h2-connect-path");
            RawHttp.Answer withPath = new RawHttp.Answer(0, Map.of(), h2.body(3));
            assertThat(withPath.json().path("error").path("type").asText()).isIn("not_found", "method_not_allowed");
            assertThat(requestLine("h2-connect-path")).containsPattern("status=40[45]");
            // No extended CONNECT (RFC 8441): the server serves no WebSocket and says so.
            assertThat(h2.serverSetting(8)).as("SETTINGS_ENABLE_CONNECT_PROTOCOL").isIn(null, 0);
        }
        assertQuiet("h2-connect-bare");
        assertQuiet("h2-connect-path");
    }

    @Test
    void anHttp2ProtocolErrorWithManyAnswersInFlight() throws Exception {
        int streams = 40;
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            for (int i = 0; i < streams; i++) {
                h2.request(2 * i + 1, "GET", "/v1/axons/" + axon + "/events?limit=3", null,
                        "authorization", "Bearer " + TestServer.ADMIN_KEY, "x-request-id", "proto-" + i + "-end");
            }
            while (h2.read().type() != RawH2.DATA) {
                // until the answers are being written: the connection's window is shared, any stream may come first
            }
            // DATA on stream 0 is a connection error (RFC 9113 §6.1): the server ends the session with GOAWAY.
            h2.raw(RawH2.DATA, 0, 0, new byte[] {'x'});
            for (int i = 0; i < streams; i++) {
                String line = requestLine("proto-" + i + "-end");
                // An answer may have been complete before the GOAWAY; none is a 500, none an unfinished 200.
                assertThat(line).as("proto-" + i).containsAnyOf("status=aborted", "status=200");
                assertThat(line).doesNotContain("status=500");
            }
        }
        for (int i = 0; i < streams; i++) {
            assertQuiet("proto-" + i + "-end");
        }
    }

    @Test
    void anHttp2SqlRequestResetWhileItWaitsInItsAxonsQueue() throws Exception {
        String lane = s.createAxon("queued");
        String auth = "Bearer " + TestServer.ADMIN_KEY;
        byte[] forever = "{\"sql\":\"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] insert = "{\"sql\":\"SELECT 1\"}".getBytes(StandardCharsets.UTF_8);
        double before = RetriedWritesTest.sqlPending(s);
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            // The first statement holds the axon's lane until sql.statement-timeout; the second waits behind it.
            h2.request(1, "POST", "/v1/axons/" + lane + "/sql/query", forever, "authorization", auth,
                    "content-type", "application/json", "x-request-id", "lane-holder");
            Await.until("the holder running", WAIT, () -> RetriedWritesTest.sqlPending(s) >= before + 1);
            h2.request(3, "POST", "/v1/axons/" + lane + "/sql/query", insert, "authorization", auth,
                    "content-type", "application/json", "x-request-id", "lane-queued-reset");
            Await.until("the second request queued", WAIT, () -> RetriedWritesTest.sqlPending(s) >= before + 2);
            h2.reset(3);
            String line = requestLine("lane-queued-reset");
            assertThat(line).contains("status=aborted");
        }
        assertQuiet("lane-queued-reset");
    }

    @Test
    void anHttp09RequestIsAClientError() {
        RawHttp.Answer a = new RawHttp(s.port()).exchange("GET /healthz\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);
        assertThat(a.status()).isBetween(400, 505);
        assertThat(a.json().path("error").path("type").asText()).isEqualTo("invalid_request");
        assertThat(a.errorMessage()).containsIgnoringCase("HTTP/0.9");
        String requestId = a.headers().get("x-request-id");
        assertThat(requestLine(requestId)).doesNotContain("status=500");
        assertQuiet(requestId);
    }

    @Test
    void aConnectionDroppedInTheMiddleOfItsHeaders() throws Exception {
        String partial = "GET /v1/axons HTTP/1.1\r\nHost: x\r\nX-Request-Id: dropped\r\nAcc";
        // Half-closed: the client could still read a 400, but has ended its side; either is fine, never a 5xx.
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            byte[] got = socket.getInputStream().readAllBytes();
            if (got.length > 0) {
                RawHttp.Answer halfClosed = RawHttp.parse(got);
                assertThat(halfClosed.status()).isEqualTo(400);
                assertThat(halfClosed.json().path("error").path("type").asText()).isEqualTo("invalid_request");
            }
        }
        // Closed outright (a reset): nobody is left to answer.
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoLinger(true, 0);
            socket.getOutputStream().write(partial.replace("dropped", "dropped-reset").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        Await.until("the dropped connection logged", WAIT, () -> !server.lines("dropped-reset").isEmpty()
                || !server.lines("/badRequest").isEmpty() || !server.lines("client went away").isEmpty());
        RawHttp.Answer after = new RawHttp(s.port()).bodiless("GET", "/healthz", "X-Request-Id: after-dropped");
        assertThat(after.status()).isEqualTo(200);
        requestLine("after-dropped");
        assertThat(server.lines("status=500")).isEmpty();
        assertQuiet("dropped");
    }
}
