package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The SSE endpoint on the wire. The class's server never closes a stream for idleness (its idle timeout is far
 * longer than any test), so no test races the idle close; the idle close has a test, and a server, of its own.
 */
@WithMyelinServer({"sse.idle-timeout=10m", "sse.heartbeat=200ms", "sse.subscriber-buffer=8", "sse.max-per-axon=3"})
class SseTest {
    @InjectServer
    static TestServer s;

    /** Reads frames until {@code count} events arrived; fails on error frames, timeouts, or order violations. */
    static List<Long> readEvents(SseClient c, long afterSeq, int count) throws Exception {
        List<Long> seqs = new ArrayList<>();
        long expected = afterSeq + 1;
        while (seqs.size() < count) {
            SseClient.Frame f = c.next(60_000);
            assertThat(f).as("frame after " + seqs.size() + " events").isNotNull();
            assertThat(f.event()).as("frame " + f).isNull();
            JsonNode e = f.json();
            assertThat(e.get("sequence").asLong()).isEqualTo(expected);
            assertThat(f.id()).isEqualTo(Long.toString(expected));
            seqs.add(expected++);
        }
        return seqs;
    }

    @Test
    void replaysThenContinuesLiveWithoutGapOrDuplicate() throws Exception {
        String id = s.createAxon("handover");
        for (int i = 0; i < 300; i++) s.publish(id, "before", "b" + i);
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 700 && !stop.get(); i++) s.publish(id, "during", "d" + i);
        });
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.contentType()).startsWith("text/event-stream");
            readEvents(c, 0, 1000);
            publisher.join();
            assertThat(c.next(300)).as("no duplicate after the last event").isNull();
        } finally {
            stop.set(true);
        }
    }

    @Test
    void slowOrOverflowingSubscriberCatchesUpFromStorage() throws Exception {
        String id = s.createAxon("overflow");
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(Map.of("event_type", "o", "origin", "USER_EVENT", "source", "t", "payload", "x" + i));
            }
            for (int b = 0; b < 20; b++) {
                assertThat(s.post("/v1/axons/" + id + "/publish/batch", Map.of("events", batch)).status()).isEqualTo(200);
            }
            readEvents(c, 0, 2000); // buffer is 8 events: every batch overflowed it
        }
    }

    @Test
    void afterSequenceAndLastEventIdResume() throws Exception {
        String id = s.createAxon("resume");
        for (int i = 0; i < 10; i++) s.publish(id, "e", "p" + i);
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse?after_sequence=7")) {
            readEvents(c, 7, 3);
        }
        try (SseClient c = new SseClient(s, s.request("/v1/axons/" + id + "/subscribe/sse")
                .header("Last-Event-ID", "4").GET().build())) {
            readEvents(c, 4, 6);
        }
        // beyond the end: waits for live events
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse?after_sequence=12")) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.next(300)).isNull();
            for (int i = 0; i < 3; i++) s.publish(id, "e", "late" + i);
            readEvents(c, 12, 1);
        }
    }

    @Test
    void idleStreamGets408ErrorEventThenCloses() throws Exception {
        try (TestServer own = TestServer.start(Map.of("sse.idle-timeout", "500ms"))) {
            String id = own.createAxon("idle");
            own.publish(id, "e", "only");
            try (SseClient c = new SseClient(own, "/v1/axons/" + id + "/subscribe/sse")) {
                readEvents(c, 0, 1);
                SseClient.Frame f = c.next(60_000);
                assertThat(f.event()).isEqualTo("error");
                assertThat(f.json().get("code").asInt()).isEqualTo(408);
                assertThat(f.json().get("message").asText()).contains("after_sequence=1");
                assertThat(c.next(60_000)).isEqualTo(SseClient.END);
            }
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        String id = s.createAxon("heartbeats");
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            Await.until("the opening comment and two heartbeats", Duration.ofSeconds(60), c::comments, n -> n >= 3);
            assertThat(c.next(0)).as("heartbeats are comments, not frames").isNull();
        }
    }

    @Test
    void deletingTheAxonEndsItsStreamsWith404() throws Exception {
        String id = s.createAxon("doomed");
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            assertThat(c.next(200)).isNull();
            s.delete("/v1/axons/" + id);
            SseClient.Frame f = c.next(60_000);
            assertThat(f.event()).isEqualTo("error");
            assertThat(f.json().get("code").asInt()).isEqualTo(404);
        }
    }

    @Test
    void perAxonStreamLimitIs429AndFreedOnClose() throws Exception {
        String id = s.createAxon("limit");
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) open.add(new SseClient(s, "/v1/axons/" + id + "/subscribe/sse"));
            var refused = s.get("/v1/axons/" + id + "/subscribe/sse");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("error").path("message").asText()).contains("sse.max-per-axon");
        } finally {
            for (SseClient c : open) c.close();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
                assertThat(c.status()).isEqualTo(200);
            }
        });
    }

    /**
     * Stopping ends open streams itself, cleanly (the last chunk is sent), rather than leaving them to Jetty's stop
     * timeout, which would cut the connections in the middle of the body.
     */
    @Test
    void stoppingTheServerEndsOpenStreams() throws Exception {
        try (TestServer own = TestServer.start(Map.of())) {
            String id = own.createAxon("shutdown");
            SseClient c = new SseClient(own, "/v1/axons/" + id + "/subscribe/sse");
            Await.until("the stream is open", Duration.ofSeconds(60), c::comments, n -> n >= 1);
            own.stop();
            assertThat(c.next(60_000)).as("ended by the server, not cut").isEqualTo(SseClient.END);
        }
    }

    @Test
    void streamedEventsHaveExactlyTheHistoryShape() throws Exception {
        String id = s.createAxon("shape");
        String payload = "{\"text\":\"line1\\nline2 \u00e9\u4e2d \\\"q\\\" \ud83d\ude00\"}";
        s.publish(id, "shape.check", payload);
        JsonNode stored = s.get("/v1/axons/" + id + "/events").json().get("events").get(0);
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            SseClient.Frame f = c.next(60_000);
            assertThat(f.json()).isEqualTo(stored);
            assertThat(f.json().get("payload").asText()).isEqualTo(payload);
        }
    }

    @Test
    void badAfterSequence() {
        String id = s.createAxon("bad");
        assertThat(s.get("/v1/axons/" + id + "/subscribe/sse?after_sequence=-1").errorField()).isEqualTo("after_sequence");
        assertThat(s.get("/v1/axons/" + id + "/subscribe/sse?after_sequence=abc").errorField()).isEqualTo("after_sequence");
        var h = s.send(s.request("/v1/axons/" + id + "/subscribe/sse").header("Last-Event-ID", "x").GET().build());
        assertThat(h.errorField()).isEqualTo("Last-Event-ID");
        assertThat(s.get("/v1/axons/axn_unknown/subscribe/sse").status()).isEqualTo(404);
    }
}
