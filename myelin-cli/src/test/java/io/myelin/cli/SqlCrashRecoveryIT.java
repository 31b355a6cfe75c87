package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Axon SQL batches run against the real server while it is killed with SIGKILL and restarted, four times. Each
 * batch inserts {@value #ROWS_PER_BATCH} rows tagged with its id and bumps a counter. Afterwards every
 * acknowledged batch must be fully present, and no batch may be present in part (every tag has exactly
 * {@value #ROWS_PER_BATCH} rows, and the counter equals the number of batches present).
 *
 * <p>Each kill comes after a number of acknowledged batches in that round, drawn at random (the seed is in the
 * failure message), so every round has batches in flight when the process dies.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // the server JVM starts five times
class SqlCrashRecoveryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int ROWS_PER_BATCH = 5;
    final Queue<String> failedSteps = new ConcurrentLinkedQueue<>();

    @Test
    void acknowledgedBatchesSurviveKillDashNineAndNoneIsHalfApplied() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
        List<String> axons = new ArrayList<>();
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m").start()) {
            for (int i = 0; i < 3; i++) {
                String id = JSON.readTree(server.post("/v1/axons", "{\"name\":\"sql-crash-" + i + "\"}").body())
                        .get("id").asText();
                axons.add(id);
                acked.put(id, ConcurrentHashMap.newKeySet());
                var schema = server.post("/v1/axons/" + id + "/sql/batch", "{\"statements\":["
                        + "{\"sql\":\"CREATE TABLE rows (batch INTEGER NOT NULL, k INTEGER NOT NULL, v TEXT NOT NULL,"
                        + " PRIMARY KEY (batch, k))\"},"
                        + "{\"sql\":\"CREATE TABLE counter (n INTEGER NOT NULL)\"},"
                        + "{\"sql\":\"INSERT INTO counter VALUES (0)\"}]}");
                assertThat(schema.statusCode()).as(schema.body()).isEqualTo(200);
            }
            for (int round = 1; round <= 4; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong batches = new AtomicLong();
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < 9; t++) {
                    int tt = t;
                    int rr = round;
                    writers.add(Thread.ofVirtual().start(
                            () -> write(server, axons.get(tt % axons.size()), rr, tt, stop, acked, batches)));
                }
                long killAfter = 20 + random.nextInt(150);
                Await.until("round " + round + ": " + killAfter + " acknowledged batches (seed " + seed + ")",
                        Duration.ofSeconds(120), batches::get, n -> n >= killAfter);
                server.kill9();
                stop.set(true);
                for (Thread w : writers) {
                    w.join();
                }
                server.start();
            }
            assertThat(failedSteps).as("acknowledged batches with a failed step").isEmpty();
            long total = 0;
            for (String id : axons) {
                Map<Long, Long> perBatch = new HashMap<>();
                JsonNode groups = query(server, id, "SELECT batch, count(*) FROM rows GROUP BY batch");
                assertThat(groups.get("meta").get("rows_read_limit_reached").asBoolean()).isFalse();
                for (JsonNode row : groups.get("rows")) {
                    perBatch.put(row.get(0).asLong(), row.get(1).asLong());
                }
                assertThat(perBatch.values()).as("no batch of " + id + " is half present").containsOnly(
                        (long) ROWS_PER_BATCH);
                assertThat(perBatch.keySet()).as("acknowledged batches of " + id).containsAll(acked.get(id));
                long counter = query(server, id, "SELECT n FROM counter").get("rows").get(0).get(0).asLong();
                assertThat(counter).as("counter of " + id + " moved once per stored batch").isEqualTo(perBatch.size());
                assertThat(query(server, id, "PRAGMA integrity_check").get("rows").get(0).get(0).asText()).isEqualTo("ok");
                total += acked.get(id).size();
            }
            assertThat(total).as("acknowledged batches across 4 crashes").isGreaterThanOrEqualTo(80);
        }
    }

    private void write(ServerProcess server, String axon, int round, int thread, AtomicBoolean stop,
                       Map<String, Set<Long>> acked, AtomicLong batches) {
        for (int i = 0; !stop.get(); i++) {
            long batch = round * 10_000_000L + thread * 100_000L + i;
            StringBuilder body = new StringBuilder("{\"statements\":[");
            for (int k = 0; k < ROWS_PER_BATCH; k++) {
                body.append("{\"sql\":\"INSERT INTO rows (batch, k, v) VALUES (?, ?, ?)\",\"params\":[")
                        .append(batch).append(',').append(k).append(",\"payload-").append(batch).append('-').append(k)
                        .append("\"]},");
            }
            body.append("{\"sql\":\"UPDATE counter SET n = n + 1\"}]}");
            try {
                var r = server.post("/v1/axons/" + axon + "/sql/batch", body.toString());
                if (r.statusCode() == 200) {
                    JsonNode results = JSON.readTree(r.body()).get("results");
                    boolean allOk = true;
                    for (JsonNode step : results) {
                        allOk &= step.has("success");
                    }
                    if (!allOk) {
                        failedSteps.add(r.body()); // checked by the test thread: an assertion here would be lost
                        return;
                    }
                    acked.get(axon).add(batch);
                    batches.incrementAndGet();
                }
            } catch (IOException | InterruptedException serverGone) {
                return;
            }
        }
    }

    private JsonNode query(ServerProcess server, String axon, String sql) throws Exception {
        var r = server.post("/v1/axons/" + axon + "/sql/query", JSON.writeValueAsString(Map.of("sql", sql)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

}
