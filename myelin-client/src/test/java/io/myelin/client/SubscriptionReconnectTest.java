package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconnect rules, checked against a scripted stream whose misbehaviour is exact and repeatable: an idle
 * close (408), a replay that overlaps what was already received, an abrupt EOF, a 503 while "restarting", and
 * a silent connection. The real-server tests cover the same ground less deterministically.
 */
class SubscriptionReconnectTest {
    private final List<String> requestedAfter = new CopyOnWriteArrayList<>();
    private final AtomicInteger connection = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private MyelinClient client;

    @AfterEach
    void stop() {
        release.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private interface Script {
        void respond(int connectionNumber, HttpExchange ex) throws Exception;
    }

    private void serve(Script script, Duration silence) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/axons/axn_1/subscribe/sse", ex -> {
            String q = ex.getRequestURI().getQuery();
            requestedAfter.add(q == null ? "" : q);
            try {
                script.respond(connection.incrementAndGet(), ex);
            } catch (Exception e) {
                // the client hung up: fine
            } finally {
                ex.close();
            }
        });
        server.start();
        client = MyelinClient.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .apiKey("k")
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .streamSilenceTimeout(silence)
                .build();
    }

    private static OutputStream open(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    private static void send(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String event(long seq) {
        return "id: " + seq + "\ndata: {\"axon_id\":\"axn_1\",\"sequence\":" + seq + ",\"event_type\":\"t\",\"origin\":\"AGENT_EVENT\","
                + "\"source\":\"s\",\"payload\":\"{}\",\"timestamp_ms\":1}\n\n";
    }

    private static List<Long> take(Subscription sub, int n) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < n) {
            Optional<AxonEvent> e = sub.poll(Duration.ofSeconds(60));
            assertThat(e).as("event %d of %d", seqs.size() + 1, n).isPresent();
            seqs.add(e.get().sequence());
        }
        return seqs;
    }

    @Test
    void resumesAfterIdleCloseOverlapEofAnd503WithoutGapOrDuplicate() throws Exception {
        serve((n, ex) -> {
            switch (n) {
                case 1 -> {
                    OutputStream out = open(ex);
                    send(out, ": hello\n\n" + event(1) + event(2) + event(3));
                    send(out, "event: error\ndata: {\"code\":408,\"message\":\"idle timeout\"}\n\n");
                }
                case 2 -> {
                    OutputStream out = open(ex);
                    send(out, event(2) + event(3) + event(4) + event(5)); // overlaps: 2 and 3 again
                }
                case 3 -> {
                    byte[] body = "{\"error\":{\"type\":\"unavailable\",\"message\":\"restarting\"}}".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(503, body.length);
                    ex.getResponseBody().write(body);
                }
                default -> {
                    OutputStream out = open(ex);
                    send(out, event(6));
                    release.await(10, TimeUnit.MINUTES);
                }
            }
        }, Duration.ofMinutes(10)); // no watchdog cut while the test runs

        try (Subscription sub = client.axon("axn_1").subscribe(0)) {
            assertThat(take(sub, 6)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(sub.poll(Duration.ofMillis(200))).isEmpty();
            assertThat(sub.lastSequence()).isEqualTo(6);
            assertThat(sub.state()).isEqualTo(SubscriptionState.STREAMING);
            assertThat(requestedAfter).containsExactly("after_sequence=0", "after_sequence=3", "after_sequence=5", "after_sequence=5");
        }
    }

    @Test
    void aSilentConnectionIsDroppedAndResumed() throws Exception {
        serve((n, ex) -> {
            OutputStream out = open(ex);
            send(out, event(n));
            release.await(10, TimeUnit.MINUTES); // then silence: no heartbeat
        }, Duration.ofSeconds(1));

        try (Subscription sub = client.axon("axn_1").subscribe(0)) {
            assertThat(take(sub, 3)).containsExactly(1L, 2L, 3L);
            assertThat(requestedAfter).startsWith("after_sequence=0", "after_sequence=1", "after_sequence=2");
        }
    }

    @Test
    void aMissingAxonEndsTheSubscriptionWithATypedError() throws Exception {
        serve((n, ex) -> {
            byte[] body = "{\"error\":{\"type\":\"not_found\",\"message\":\"axon not found: axn_1\",\"field\":null}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
        }, Duration.ofMinutes(10)); // no watchdog cut while the test runs

        Subscription sub = client.axon("axn_1").subscribe(0);
        assertThatThrownBy(() -> sub.poll(Duration.ofSeconds(60)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("axon not found");
        assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
        assertThat(connection.get()).isEqualTo(1); // not retried
        sub.close();
    }

    @Test
    void closeEndsTheStreamAndStopsReconnecting() throws Exception {
        serve((n, ex) -> {
            OutputStream out = open(ex);
            send(out, event(n));
            release.await(10, TimeUnit.MINUTES);
        }, Duration.ofMinutes(10)); // no watchdog cut while the test runs

        Subscription sub = client.axon("axn_1").subscribe(0);
        assertThat(sub.stream().limit(1).map(AxonEvent::sequence).toList()).containsExactly(1L);
        sub.close();
        assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
        assertThat(sub.stream().count()).isZero();
        assertThat(((SseSubscription) sub).awaitReaderEnded(Duration.ofSeconds(60))).as("the reader ended").isTrue();
        assertThat(connection.get()).as("no connection after the first").isEqualTo(1);
    }
}
