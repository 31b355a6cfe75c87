package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow readers of large answers spend the answer budget: new large answers are refused with 503, small ones
 * (at most 64 KiB) are still answered, on every route that counts its answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer({"limits.response-memory=" + SmallAnswersTest.BUDGET, "limits.max-page-bytes=4194304",
        "sql.max-result-bytes=4194304", "sql.max-value-bytes=131072"})
class SmallAnswersTest {
    static final int BUDGET = 8 << 20;
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * 1,000 rows of 4,180 characters: 4,186,000 bytes as the answer counts them, taken from the budget in 64 KiB
     * steps, so exactly 4 MiB (more than loopback socket buffers absorb); two of them spend the whole budget.
     */
    static final String LARGE = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000)"
            + " SELECT printf('%.*c', 4180, 'x') FROM r";

    @InjectServer
    static TestServer s;

    @Test
    void smallAnswersAreServedWhileSlowReadersHoldTheBudget() throws Exception {
        String axon = s.createAxon("small-answers");
        assertThat(s.publish(axon, "small", "{}").status()).isEqualTo(200);
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                readers.add(slowQuery(axon));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Socket r : readers) {
                statuses.add(RawHttp.statusOf(r.getInputStream())); // nothing after the head is ever read
            }
            assertThat(statuses).as("two answers fill the budget, the third is refused").containsExactlyInAnyOrder(200, 200, 503);
            Await.until("the slow readers to hold the whole budget", Duration.ofSeconds(30),
                    () -> s.metric("myelin_answers_held_bytes"), held -> held == BUDGET);

            TestServer.Reply one = s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql", "SELECT 1"));
            assertThat(one.status()).as(one.body()).isEqualTo(200);
            TestServer.Reply history = s.get("/v1/axons/" + axon + "/events?limit=1");
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            TestServer.Reply list = s.get("/v1/axons?limit=1");
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            TestServer.Reply large = s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql", LARGE));
            assertThat(large.status()).as("a large answer is still refused").isEqualTo(503);
            assertThat(large.response().headers().firstValue("Retry-After")).isPresent();
        } finally {
            for (Socket r : readers) {
                r.close();
            }
        }
        Await.until("the budget to be given back", Duration.ofSeconds(60),
                () -> s.metric("myelin_answers_held_bytes"), held -> held == 0);
    }

    /** Sends the large query on a connection that never reads more than the answer's head. */
    private static Socket slowQuery(String axon) throws IOException {
        Socket r = new Socket();
        r.setReceiveBufferSize(2048);
        r.setSoTimeout(60_000);
        r.connect(new InetSocketAddress("127.0.0.1", s.port()));
        byte[] body = JSON.writeValueAsBytes(Map.of("sql", LARGE));
        OutputStream out = r.getOutputStream();
        out.write(("POST /v1/axons/" + axon + "/sql/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.adminKey()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return r;
    }
}
