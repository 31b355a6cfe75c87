package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SseTest {
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(Map.of("sse.idle-timeout", "1500ms", "sse.heartbeat", "200ms",
                "sse.subscriber-buffer", "8", "sse.max-per-axon", "3"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** Reads frames until {@code count} events arrived; fails on error frames, timeouts, or order violations. */
    static List<Long> readEvents(SseClient c, long afterSeq, int count) throws Exception {
        List<Long> seqs = new ArrayList<>();
        long expected = afterSeq + 1;
        while (seqs.size() < count) {
            SseClient.Frame f = c.next(10_000);
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
        String id = s.createAxon("idle");
        s.publish(id, "e", "only");
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            readEvents(c, 0, 1);
            SseClient.Frame f = c.next(5_000);
            assertThat(f.event()).isEqualTo("error");
            assertThat(f.json().get("code").asInt()).isEqualTo(408);
            assertThat(c.next(2_000)).isEqualTo(SseClient.END);
            assertThat(c.comments()).as("heartbeats while idle").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void deletingTheAxonEndsItsStreamsWith404() throws Exception {
        String id = s.createAxon("doomed");
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            assertThat(c.next(200)).isNull();
            s.delete("/v1/axons/" + id);
            SseClient.Frame f = c.next(5_000);
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
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
                assertThat(c.status()).isEqualTo(200);
            }
        });
    }

    @Test
    void stoppingTheServerEndsOpenStreamsPromptly() throws Exception {
        try (TestServer own = TestServer.start(Map.of())) {
            String id = own.createAxon("shutdown");
            SseClient c = new SseClient(own, "/v1/axons/" + id + "/subscribe/sse");
            assertThat(c.next(200)).isNull();
            long t0 = System.nanoTime();
            own.close();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("stop with an open stream, ms").isLessThan(1500);
            assertThat(c.next(2_000)).isEqualTo(SseClient.END);
        }
    }

    @Test
    void streamedEventsHaveExactlyTheHistoryShape() throws Exception {
        String id = s.createAxon("shape");
        String payload = "{\"text\":\"line1\\nline2 \u00e9\u4e2d \\\"q\\\" \ud83d\ude00\"}";
        s.publish(id, "shape.check", payload);
        JsonNode stored = s.get("/v1/axons/" + id + "/events").json().get("events").get(0);
        try (SseClient c = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            SseClient.Frame f = c.next(5_000);
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
