package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.Await;
import io.myelin.testkit.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code http.max-connections} and {@code http.header-timeout}: clients holding connections without sending a
 * request hold at most the cap, each for the header timeout; a connection carrying a request (an SSE stream that
 * stays silent) keeps the long idle timeout.
 */
@Timeout(90)
class ConnectionLimitTest {
    private static final int CAP = 4;

    /** A socket that records, in {@code ends}, when the server closed it and what it had sent before. */
    private record Held(Socket socket, Thread reader) {}

    private static Held hold(TestServer s, String name, String sent, List<String> ends, CountDownLatch closed)
            throws Exception {
        Socket socket = new Socket("127.0.0.1", s.port());
        socket.setSoTimeout(60_000);
        if (!sent.isEmpty()) {
            socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = socket.getInputStream()) {
                byte[] got = in.readAllBytes();
                ends.add(name + " closed after " + got.length + " bytes");
            } catch (Exception e) {
                ends.add(name + " closed: " + e);
            }
            closed.countDown();
        });
        return new Held(socket, reader);
    }

    @Test
    void connectionsBeyondTheCapWaitAndSilentOnesAreClosedAfterTheHeaderTimeout() throws Exception {
        try (LogCapture log = new LogCapture("io.myelin", ch.qos.logback.classic.Level.DEBUG);
             TestServer s = TestServer.start(Map.of("http.max-connections", Integer.toString(CAP),
                "http.header-timeout", "1s", "http.request-log", "true"))) {
            // Each request on its own connection, closed by the server once answered: a kept-alive one would hold a
            // place under the cap for a while.
            RawHttp raw = new RawHttp(s.port());
            String axon = raw.send("POST", "/v1/axons", "{\"name\":\"still-streaming\"}".getBytes(StandardCharsets.UTF_8))
                    .json().path("id").asText();
            // A silent SSE stream (heartbeats only every 15 s) opened before the others: it carries a request, so the
            // header timeout must not cut it. It takes one of the CAP connections.
            SseClient sse = new SseClient(s, "/v1/axons/" + axon + "/subscribe/sse");
            assertThat(sse.status()).isEqualTo(200);
            List<String> ends = new CopyOnWriteArrayList<>();
            CountDownLatch closed = new CountDownLatch(CAP + 2);
            List<Held> held = new ArrayList<>();
            // The kernel's accept queue is first in, first out: the first CAP - 1 fill the cap; the rest wait.
            for (int i = 0; i < CAP + 2; i++) {
                String sent = i % 2 == 0 ? "" : "GET /heal"; // silent, or a request line that stops
                held.add(hold(s, "held-" + i, sent, ends, closed));
            }
            RawHttp.Answer answer = raw.bodiless("GET", "/healthz");
            ends.add("answered " + answer.status());

            Await.latch("every held connection closed by the server", Duration.ofSeconds(60), closed);
            assertThat(ends).as("a request beyond the cap is answered only once a held connection closed")
                    .filteredOn(e -> e.startsWith("answered")).containsExactly("answered 200");
            assertThat(ends.indexOf("answered 200")).as(ends.toString())
                    .isGreaterThan(indexOfFirst(ends, "held-"));
            assertThat(ends).filteredOn(e -> e.startsWith("held-"))
                    .as("closed without an answer").allSatisfy(e -> assertThat(e).endsWith("after 0 bytes"));

            // The SSE stream outlived two header timeouts and still delivers.
            assertThat(raw.send("POST", "/v1/axons/" + axon + "/publish", ("{\"event_type\":\"after\",\"origin\":"
                    + "\"USER_EVENT\",\"source\":\"t\",\"payload\":\"{}\"}").getBytes(StandardCharsets.UTF_8)).status())
                    .isEqualTo(200);
            SseClient.Frame frame;
            do {
                frame = sse.next(30_000);
            } while (frame != null && frame.id() == null && frame != SseClient.END && frame != SseClient.BROKEN);
            assertThat(frame).as("the first event on the stream").isNotNull();
            assertThat(frame.id()).isEqualTo("1");
            sse.close();
            // Silent and half-sent connections closed by the timeout are the clients' doing, not a server error.
            assertThat(log.lines("status=500")).isEmpty();
            assertThat(log.events()).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .isEmpty();
            for (Held h : held) {
                h.socket().close();
            }
        }
    }

    private static int indexOfFirst(List<String> list, String prefix) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
