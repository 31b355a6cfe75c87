package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SSE subscribers that stop reading while a replay of large events is written to them hold no more than the answer
 * budget in all: each stalled stream holds one page, new streams are refused with 503 and Retry-After once the
 * budget is spent, the server keeps serving everyone else, and everything is given back when they go.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer({"limits.response-memory=" + SseMemoryTest.BUDGET, "limits.max-page-bytes=1048576",
        "sql.max-result-bytes=1048576", "sql.max-value-bytes=131072"})
class SseMemoryTest {
    static final int BUDGET = 8 << 20;
    static final int EVENTS = 12;
    static final int READERS = 16;
    /** 170,000 control characters: 170 KB stored, 1 MiB once JSON-escaped in an SSE frame. */
    static final String PAYLOAD = "\u0001".repeat(170_000);

    @InjectServer
    static TestServer s;

    @Test
    void stalledSubscribersHoldAtMostTheBudget() throws Exception {
        String axon = s.createAxon("sse-memory");
        for (int i = 0; i < EVENTS; i++) {
            assertThat(s.publish(axon, "big", PAYLOAD).status()).isEqualTo(200);
        }
        List<Socket> readers = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < READERS; i++) {
                Socket r = new Socket();
                r.setReceiveBufferSize(2048);
                r.setSoTimeout(60_000);
                r.connect(new InetSocketAddress("127.0.0.1", s.port()));
                r.getOutputStream().write(("GET /v1/axons/" + axon + "/subscribe/sse?after_sequence=0 HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + s.adminKey() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                readers.add(r);
            }
            for (Socket r : readers) {
                statuses.add(RawHttp.statusOf(r.getInputStream())); // the status line; nothing after it is ever read
            }
            assertThat(statuses).as("streams and refusals only").allMatch(st -> st == 200 || st == 503);
            assertThat(statuses).as("some streams were started").contains(200);

            // The stalled streams take the budget, one page each, and never more than it.
            long page = 1_100_000;
            Await.until("the stalled streams to hold the answer budget", Duration.ofSeconds(60),
                    () -> s.metric("myelin_answers_held_bytes"), held -> held > BUDGET - page);
            assertThat(s.metric("myelin_answers_held_bytes")).isLessThanOrEqualTo(BUDGET);

            // A new stream is refused while they stall; the rest of the server answers as usual.
            HttpResponse<InputStream> refused = s.http().send(s.request("/v1/axons/" + axon + "/subscribe/sse?after_sequence=0")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = refused.body()) {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("limits.response-memory");
            }
            assertThat(s.get("/healthz").status()).isEqualTo(200);
            TestServer.Reply small = s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql", "SELECT 1"));
            assertThat(small.status()).as(small.body()).isEqualTo(200);
            assertThat(s.metric("myelin_answers_held_bytes")).isLessThanOrEqualTo(BUDGET);
        } finally {
            for (Socket r : readers) {
                r.close();
            }
        }
        // Gone readers give everything back, and a reader that reads gets every event whole.
        Await.until("the budget to be given back", Duration.ofSeconds(60),
                () -> s.metric("myelin_answers_held_bytes"), held -> held == 0);
        try (SseClient sse = new SseClient(s, "/v1/axons/" + axon + "/subscribe/sse?after_sequence=0")) {
            assertThat(sse.status()).isEqualTo(200);
            for (int seq = 1; seq <= EVENTS; seq++) {
                SseClient.Frame f = sse.next(30_000);
                assertThat(f).as("event " + seq).isNotNull();
                assertThat(f.json().get("sequence").asLong()).isEqualTo(seq);
                assertThat(f.json().get("payload").asText()).isEqualTo(PAYLOAD);
            }
        }
    }
}
