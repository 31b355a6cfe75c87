package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A keyed SQL write that waited for a SQL thread past {@code sql.queue-timeout} never runs: it is answered 503 "not
 * executed" when the queue timeout passes (not once a thread frees up, nor as "outcome unknown"), and its key is
 * released, so the client's retry with the same key runs it, once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer({"sql.threads=1", "sql.queue-timeout=1s", "sql.statement-timeout=" + SqlQueueTimeoutTest.HOLD,
        "sql.batch-timeout=" + SqlQueueTimeoutTest.HOLD})
class SqlQueueTimeoutTest {
    /** How long the only SQL thread is held: far longer than the queue timeout, so the order below is certain. */
    static final String HOLD = "15s";
    @InjectServer
    static TestServer s;

    @Test
    void aKeyedWriteThatNeverStartedIsNotExecutedAndItsRetryRuns() {
        String busy = s.createAxon("busy");
        String ledger = s.createAxon("ledger");
        assertThat(s.post("/v1/axons/" + ledger + "/sql/query", Map.of("sql", "CREATE TABLE t (v INTEGER)")).status())
                .isEqualTo(200);
        // Another axon's statement holds the only SQL thread until its time limit interrupts it.
        CompletableFuture<TestServer.Reply> hold = CompletableFuture.supplyAsync(() -> s.post("/v1/axons/" + busy + "/sql/query",
                Map.of("sql", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> RetriedWritesTest.sqlPending(s) >= 1);

        Map<String, String> key = Map.of("Idempotency-Key", "pay-once");
        TestServer.Reply first = s.post("/v1/axons/" + ledger + "/sql/query", Map.of("sql", "INSERT INTO t VALUES (1)"), key);
        assertThat(first.status()).as(first.body()).isEqualTo(503);
        assertThat(first.body()).contains("not executed").contains("sql.queue-timeout");
        assertThat(first.response().headers().firstValue("x-should-retry")).hasValue("true");
        assertThat(hold).as("answered at the queue timeout, while the thread is still held").isNotDone();

        assertThat(hold.join().status()).isEqualTo(400); // the holder's statement timed out
        TestServer.Reply retry = s.post("/v1/axons/" + ledger + "/sql/query", Map.of("sql", "INSERT INTO t VALUES (1)"), key);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        TestServer.Reply again = s.post("/v1/axons/" + ledger + "/sql/query", Map.of("sql", "INSERT INTO t VALUES (1)"), key);
        assertThat(again.body()).isEqualTo(retry.body());
        assertThat(s.post("/v1/axons/" + ledger + "/sql/query", Map.of("sql", "SELECT count(*) FROM t")).json()
                .get("rows").get(0).get(0).asLong()).isEqualTo(1);
    }
}
