package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every write applies at most once per retry identity (Idempotency-Key, else X-Request-Id), as a client that times
 * out and retries sees it: over real HTTP, against a real server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer({"sql.statement-timeout=" + RetriedWritesTest.HOLD, "sql.queue-timeout=60s"})
class RetriedWritesTest {
    /** Long enough that a client timing out after 300 ms certainly retries while the lane is still held. */
    static final String HOLD = "6s";
    @InjectServer
    static TestServer s;

    private static TestServer.Reply post(String path, String body, String header, String key) {
        return s.post(path, body, Map.of(header, key));
    }

    /** Occupies the axon's SQL lane until the statement time limit interrupts it. */
    private static CompletableFuture<TestServer.Reply> holdLane(String axon) {
        CompletableFuture<TestServer.Reply> hold = CompletableFuture.supplyAsync(() -> s.post(
                "/v1/axons/" + axon + "/sql/query",
                "{\"sql\":\"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r\"}"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sqlPending(s) >= 1);
        return hold;
    }

    /** SQL requests queued or running, from /metrics. */
    static double sqlPending(TestServer server) {
        return server.metric("myelin_sql_pending");
    }

    private static long ledgerRows(String axon) {
        return s.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"SELECT count(*) FROM ledger\"}")
                .json().get("rows").get(0).get(0).asLong();
    }

    @Test
    void aBatchRetriedAfterAClientTimeoutIsAppliedOnce() throws Exception {
        String axon = s.createAxon("retry-batch");
        assertThat(s.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"CREATE TABLE ledger (amount INTEGER)\"}")
                .status()).isEqualTo(200);
        String batch = "{\"statements\":[{\"sql\":\"INSERT INTO ledger VALUES (?)\",\"params\":[100]},"
                + "{\"sql\":\"SELECT count(*) FROM ledger\"}]}";
        CompletableFuture<TestServer.Reply> hold = holdLane(axon);

        // The first attempt queues behind the held lane; its client gives up, as the SDK does after its timeout.
        HttpClient impatient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest first = s.request("/v1/axons/" + axon + "/sql/batch").timeout(Duration.ofMillis(300))
                .header("Content-Type", "application/json").header("X-Request-Id", "R")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build();
        assertThatThrownBy(() -> impatient.send(first, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        // The retry carries the same X-Request-Id: it waits for the original and gets its answer.
        TestServer.Reply retry = post("/v1/axons/" + axon + "/sql/batch", batch, "X-Request-Id", "R");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("results").get(1).get("success").get("rows").get(0).get(0).asLong()).isEqualTo(1);
        hold.join();
        assertThat(ledgerRows(axon)).isEqualTo(1);

        // Later retries get the stored answer and apply nothing.
        TestServer.Reply again = post("/v1/axons/" + axon + "/sql/batch", batch, "X-Request-Id", "R");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(retry.body());
        assertThat(ledgerRows(axon)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneSqlWriteApplyItOnce() {
        String axon = s.createAxon("retry-storm");
        s.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"CREATE TABLE ledger (amount INTEGER)\"}");
        CompletableFuture<TestServer.Reply> hold = holdLane(axon);
        String insert = "{\"sql\":\"INSERT INTO ledger VALUES (7) RETURNING rowid\"}";
        List<CompletableFuture<TestServer.Reply>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(CompletableFuture.supplyAsync(
                    () -> post("/v1/axons/" + axon + "/sql/query", insert, "Idempotency-Key", "pay-1")));
        }
        hold.join();
        List<String> bodies = attempts.stream().map(CompletableFuture::join).peek(r -> assertThat(r.status())
                .as(r.body()).isEqualTo(200)).map(TestServer.Reply::body).distinct().toList();
        assertThat(bodies).hasSize(1);
        assertThat(ledgerRows(axon)).isEqualTo(1);
    }

    @Test
    void aReusedKeyIsRefusedNamingTheHeaderTheClientSent() {
        String axon = s.createAxon("reuse");
        s.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"CREATE TABLE ledger (amount INTEGER)\"}");
        String path = "/v1/axons/" + axon + "/sql/query";
        assertThat(post(path, "{\"sql\":\"INSERT INTO ledger VALUES (1)\"}", "X-Request-Id", "fwd-1").status())
                .isEqualTo(200);
        TestServer.Reply other = post(path, "{\"sql\":\"INSERT INTO ledger VALUES (2)\"}", "X-Request-Id", "fwd-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorField()).isEqualTo("X-Request-Id");
        assertThat(other.json().get("error").get("message").asText()).contains("X-Request-Id 'fwd-1'");
        assertThat(other.response().headers().firstValue("x-should-retry")).contains("false");

        TestServer.Reply viaKey = post(path, "{\"sql\":\"INSERT INTO ledger VALUES (3)\"}", "Idempotency-Key", "fwd-1");
        assertThat(viaKey.status()).as("Idempotency-Key and X-Request-Id name one identity").isEqualTo(422);
        assertThat(viaKey.errorField()).isEqualTo("Idempotency-Key");

        // Across endpoints too: the same identity on a publish to the same axon is a different request.
        TestServer.Reply publish = post("/v1/axons/" + axon + "/publish",
                "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}", "X-Request-Id", "fwd-1");
        assertThat(publish.status()).isEqualTo(422);
        assertThat(ledgerRows(axon)).isEqualTo(1);
    }

    @Test
    void theSameRequestWrittenDifferentlyIsStillARetry() {
        String axon = s.createAxon("canonical");
        String path = "/v1/axons/" + axon + "/publish";
        TestServer.Reply a = post(path, "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}",
                "Idempotency-Key", "k1");
        TestServer.Reply b = post(path, "{ \"payload\" : \"p\", \"source\":\"s\",\n\"origin\":\"USER_EVENT\", \"event_type\":\"t\" }",
                "Idempotency-Key", "k1");
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().get("sequence").asLong()).isEqualTo(a.json().get("sequence").asLong());
        assertThat(s.get("/v1/axons/" + axon + "/events").json().get("total_count").asLong()).isEqualTo(1);
    }

    @Test
    void axonCreateUpdateAndDeleteApplyOnce() {
        String create = "{\"name\":\"once\",\"metadata\":{\"team\":\"infra\"}}";
        TestServer.Reply first = post("/v1/axons", create, "X-Request-Id", "create-1");
        TestServer.Reply second = post("/v1/axons", create, "X-Request-Id", "create-1");
        assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(s.get("/v1/axons?name=once").json().get("axons")).hasSize(1);

        String id = first.json().get("id").asText();
        String update = "{\"metadata\":{\"team\":\"web\"}}";
        TestServer.Reply updated = post("/v1/axons/" + id, update, "Idempotency-Key", "update-1");
        assertThat(updated.json().get("metadata").get("team").asText()).isEqualTo("web");
        // Another client changes it; a late retry of the first update must not put "web" back.
        post("/v1/axons/" + id, "{\"metadata\":{\"team\":\"data\"}}", "Idempotency-Key", "update-2");
        TestServer.Reply lateRetry = post("/v1/axons/" + id, update, "Idempotency-Key", "update-1");
        assertThat(lateRetry.body()).isEqualTo(updated.body());
        assertThat(s.get("/v1/axons/" + id).json().get("metadata").get("team").asText()).isEqualTo("data");

        HttpRequest delete = s.request("/v1/axons/" + id).header("X-Request-Id", "delete-1").DELETE().build();
        TestServer.Reply deleted = s.send(delete);
        assertThat(deleted.status()).isEqualTo(200);
        TestServer.Reply deletedAgain = s.send(delete);
        assertThat(deletedAgain.status()).as("a retried delete gets its answer, not 404").isEqualTo(200);
        assertThat(deletedAgain.body()).isEqualTo(deleted.body());
        assertThat(s.delete("/v1/axons/" + id).status()).as("an unkeyed delete of a deleted axon").isEqualTo(404);
    }

    @Test
    void readsAreNotStoredAndRunAgain() {
        String axon = s.createAxon("reads");
        String path = "/v1/axons/" + axon + "/sql/query";
        s.post(path, "{\"sql\":\"CREATE TABLE t (x INTEGER)\"}");
        String count = "{\"sql\":\"SELECT count(*) FROM t\"}";
        assertThat(post(path, count, "X-Request-Id", "read-1").json().get("rows").get(0).get(0).asLong()).isZero();
        s.post(path, "{\"sql\":\"INSERT INTO t VALUES (1)\"}");
        assertThat(post(path, count, "X-Request-Id", "read-1").json().get("rows").get(0).get(0).asLong()).isEqualTo(1);
    }

    @Test
    void aRequestThatWaitedPastTheQueueTimeoutIsNotStarted() throws Exception {
        try (TestServer quick = TestServer.start(Map.of("sql.statement-timeout", HOLD, "sql.queue-timeout", "200ms"))) {
            String axon = quick.createAxon("queued");
            String path = "/v1/axons/" + axon + "/sql/query";
            quick.post(path, "{\"sql\":\"CREATE TABLE t (x INTEGER)\"}");
            CompletableFuture<TestServer.Reply> hold = CompletableFuture.supplyAsync(() -> quick.post(path,
                    "{\"sql\":\"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r\"}"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sqlPending(quick) >= 1);
            TestServer.Reply late = quick.post(path, "{\"sql\":\"INSERT INTO t VALUES (1)\"}", Map.of("Idempotency-Key", "q-1"));
            assertThat(late.status()).isEqualTo(503);
            assertThat(late.json().get("error").get("message").asText()).contains("not executed", "sql.queue-timeout");
            assertThat(late.response().headers().firstValue("Retry-After")).isPresent();
            hold.join();
            // On this server any request may meet the short queue timeout when the machine is slow to run the lane;
            // such a 503 applied nothing and says so, and a client retries it, as these do.
            JsonNode rows = untilStarted(() -> quick.post(path, "{\"sql\":\"SELECT count(*) FROM t\"}")).json().get("rows");
            assertThat(rows.get(0).get(0).asLong()).as("nothing applied").isZero();
            // The key was released: the retry runs it.
            assertThat(untilStarted(() -> quick.post(path, "{\"sql\":\"INSERT INTO t VALUES (1)\"}",
                    Map.of("Idempotency-Key", "q-1"))).status()).isEqualTo(200);
        }
    }

    /** Sends {@code request} again while it is refused unstarted for waiting past the queue timeout. */
    private static TestServer.Reply untilStarted(Callable<TestServer.Reply> request) {
        return Await.until("a request that is not refused for the queue timeout", Duration.ofSeconds(60), request,
                r -> !(r.status() == 503 && r.body().contains("sql.queue-timeout")));
    }

    @Test
    void aBatchAsAWholeHasATimeLimit() throws Exception {
        try (TestServer quick = TestServer.start(Map.of("sql.statement-timeout", "5s", "sql.batch-timeout", "300ms"))) {
            String axon = quick.createAxon("batch-limit");
            String spin = "{\"sql\":\"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r\"}";
            TestServer.Reply r = quick.post("/v1/axons/" + axon + "/sql/batch",
                    "{\"statements\":[{\"sql\":\"CREATE TABLE t (x INTEGER)\"}," + spin + "]}");
            assertThat(r.status()).isEqualTo(200);
            // The spin meets the limit; on a machine slow enough, the first statement already does.
            JsonNode firstError = r.json().get("results").findValue("error");
            assertThat(firstError.get("message").asText()).contains("batch timed out", "sql.batch-timeout");
            assertThat(quick.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"SELECT * FROM t\"}").status())
                    .as("rolled back").isEqualTo(400);
        }
    }

    @Test
    void malformedKeysAreRefused() {
        String axon = s.createAxon("bad-keys");
        String body = "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}";
        TestServer.Reply tooLong = post("/v1/axons/" + axon + "/publish", body, "X-Request-Id", "x".repeat(257));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errorField()).isEqualTo("X-Request-Id");
    }
}
