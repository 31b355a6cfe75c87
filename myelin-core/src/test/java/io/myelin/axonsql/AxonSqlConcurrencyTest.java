package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AxonSqlConcurrencyTest extends SqlTestSupport {

    @Override
    SqlLimits limits() {
        // Patient: a statement waits for a lock as long as it may run, so only the test ends the wait below.
        return patient().threads(4).build();
    }

    /**
     * A raw connection holds axon A's write lock, so a batch on A blocks inside SQLite (busy wait, no CPU) until
     * the test commits. While it waits, a second request on A must wait behind it (serialized per axon), and a
     * request on B must complete (different axons run in parallel).
     */
    @Test
    void requestsAreSerializedPerAxonAndParallelAcrossAxons() throws Exception {
        q("axn_a", "CREATE TABLE t (v INTEGER)");
        q("axn_b", "CREATE TABLE t (v INTEGER)");
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
             Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + sql().databaseFile("axn_a"))) {
            try (Statement s = blocker.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            CompletableFuture<BatchResult> first = CompletableFuture.supplyAsync(
                    () -> batch("axn_a", st("INSERT INTO t VALUES (1)")), callers);
            await("the batch is in axon A's lane").atMost(Duration.ofSeconds(60)).until(() -> sql().pendingRequests() == 1);
            CompletableFuture<SqlResult> second = CompletableFuture.supplyAsync(
                    () -> q("axn_a", "SELECT count(*) FROM t"), callers);
            await("the query is queued behind it").atMost(Duration.ofSeconds(60)).until(() -> sql().pendingRequests() == 2);
            SqlResult other = q("axn_b", "INSERT INTO t VALUES (2)");
            assertThat(other.meta().changes()).as("axon B ran while axon A is blocked").isEqualTo(1);
            assertThat(first).isNotDone();
            assertThat(second).as("queued behind the blocked batch on the same axon").isNotDone();
            try (Statement s = blocker.createStatement()) {
                s.execute("COMMIT");
            }
            assertThat(first.get(60, TimeUnit.SECONDS).results().getFirst().error()).isNull();
            assertThat(second.get(60, TimeUnit.SECONDS).rows().getFirst().getFirst())
                    .as("ran after the batch committed").isEqualTo(1L);
        }
    }

    @Test
    void manyConcurrentWritersAcrossAxonsLoseNothing() throws Exception {
        int axons = 6;
        int writersPerAxon = 4;
        int writes = 40;
        for (int a = 0; a < axons; a++) {
            q("axn_c" + a, "CREATE TABLE counter (n INTEGER NOT NULL)");
            q("axn_c" + a, "INSERT INTO counter VALUES (0)");
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int a = 0; a < axons; a++) {
                String axon = "axn_c" + a;
                for (int w = 0; w < writersPerAxon; w++) {
                    all.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < writes; i++) {
                            // Read-modify-write across two statements of one batch: atomic only because
                            // the batch is one transaction and the axon's requests are serialized.
                            BatchResult r = batch(axon, st("UPDATE counter SET n = (SELECT n FROM counter) + 1"),
                                    st("SELECT n FROM counter"));
                            assertThat(r.results()).allSatisfy(s -> assertThat(s.error()).isNull());
                        }
                    }, callers));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
        for (int a = 0; a < axons; a++) {
            assertThat(scalar("axn_c" + a, "SELECT n FROM counter")).isEqualTo((long) writersPerAxon * writes);
        }
    }
}
