package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AxonSqlLimitsTest extends SqlTestSupport {
    private static final String A = "axn_limits";
    private static final String FOREVER =
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    @Override
    SqlLimits limits() {
        return patient()
                .maxValueBytes(64 * 1024)
                .maxDatabaseBytes(512 * 1024)
                .maxResultBytes(512 * 1024)
                .maxSqlBytes(4096)
                .maxParams(10).build();
    }

    @Test
    void runawayStatementTimesOutAndTheAxonStaysUsable() {
        AxonSql quick = withStatementTimeout(Duration.ofMillis(400));
        long start = System.nanoTime();
        var e = fails(ErrorKind.INVALID_REQUEST, () -> quick.query(Caller.SYSTEM, A, FOREVER, null));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.getMessage()).startsWith("statement timed out").contains("400 ms");
        // Not stopped before its budget. A lower bound only, which no machine can miss: how soon after the budget
        // it stops depends on the machine's load.
        assertThat(ms).isGreaterThanOrEqualTo(400L);
        assertThat(quick.query(Caller.SYSTEM, A, "SELECT 41 + 1", null).rows().getFirst().getFirst()).isEqualTo(42L);
    }

    @Test
    void timedOutWriteIsRolledBack() {
        AxonSql quick = withStatementTimeout(Duration.ofMillis(400));
        quick.query(Caller.SYSTEM, A, "CREATE TABLE t (x INTEGER)", null);
        var e = fails(ErrorKind.INVALID_REQUEST, () -> quick.query(Caller.SYSTEM, A,
                "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                        + " SELECT x FROM c WHERE x % 10000 = 0", null));
        assertThat(e.getMessage()).startsWith("statement timed out");
        assertThat(quick.query(Caller.SYSTEM, A, "SELECT count(*) FROM t", null).rows().getFirst().getFirst()).isEqualTo(0L);
        quick.query(Caller.SYSTEM, A, "INSERT INTO t VALUES (1)", null);
        assertThat(quick.query(Caller.SYSTEM, A, "SELECT count(*) FROM t", null).rows().getFirst().getFirst()).isEqualTo(1L);
    }

    @Test
    void sqlTextSizeIsLimited() {
        String big = "SELECT '" + "x".repeat(5000) + "'";
        var e = fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, big));
        assertThat(e.field()).isEqualTo("sql");
        assertThat(e.getMessage()).contains("4096");
        var inBatch = fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> batch(A, st("SELECT 1"), st(big)));
        assertThat(inBatch.field()).isEqualTo("statements[1].sql");
        // Multi-byte characters count as bytes.
        fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "SELECT '" + "é".repeat(2100) + "'"));
    }

    @Test
    void paramCountIsLimited() {
        Object[] eleven = new Object[11];
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT ?", eleven));
        assertThat(e.field()).isEqualTo("params");
        assertThat(e.getMessage()).contains("10");
        // SQLite's own variable limit matches, so ?NNN cannot reach beyond it.
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT ?11")).getMessage())
                .contains("variable number must be between ?1 and ?10");
    }

    @Test
    void valueSizeIsLimitedOnTheWayInAndInsideSqlite() {
        q(A, "CREATE TABLE t (v)");
        var text = fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "INSERT INTO t VALUES (?)", "x".repeat(70_000)));
        assertThat(text.field()).isEqualTo("params[0]");
        String blob = Base64.getEncoder().encodeToString(new byte[70_000]);
        assertThat(fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "INSERT INTO t VALUES (?)", Map.of("$blob", blob)))
                .field()).isEqualTo("params[0]");
        assertThat(fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "INSERT INTO t VALUES (randomblob(70000))"))
                .getMessage()).contains("string or blob too big").contains("65536");
        // Row size: two values that fit on their own but not together in one stored row.
        q(A, "CREATE TABLE r (a, b)");
        fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "INSERT INTO r VALUES (zeroblob(40000), zeroblob(40000))"));
        q(A, "INSERT INTO r VALUES (zeroblob(40000), NULL)");
        var row = fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> q(A, "SELECT a, a FROM r"));
        assertThat(row.getMessage()).contains("result row 0");
    }

    @Test
    void resultBytesTruncateWithTheFlag() {
        q(A, "CREATE TABLE t (v)");
        for (int i = 0; i < 10; i++) {
            q(A, "INSERT INTO t VALUES (zeroblob(50000))");
        }
        // Counted as encoded: 50,000 bytes are 66,668 base64 characters plus quotes and brackets, so 512 KiB fit 7.
        SqlResult r = q(A, "SELECT v FROM t");
        assertThat(r.rows()).hasSize(7);
        assertThat(r.meta().rowsReadLimitReached()).isTrue();
    }

    @Test
    void resultBytesAreCountedAsEncodedNotAsStored() {
        // 60,000 control characters are 60 KB stored but 360 KB once JSON-escaped (six bytes each): one fits 512 KiB.
        SqlResult r = q(A, "SELECT replace(printf('%.*c', 60000, 'x'), 'x', char(1)) FROM (SELECT 1 UNION ALL SELECT 2)");
        assertThat(r.rows()).hasSize(1);
        assertThat(r.meta().rowsReadLimitReached()).isTrue();
        SqlResult plain = q(A, "SELECT printf('%.*c', 60000, 'x') FROM (SELECT 1 UNION ALL SELECT 2)");
        assertThat(plain.rows()).hasSize(2);
        assertThat(plain.meta().rowsReadLimitReached()).isFalse();
    }

    @Test
    void databaseSizeIsLimitedAndTheAxonStaysUsable() {
        q(A, "CREATE TABLE t (v)");
        var e = fails(ErrorKind.PAYLOAD_TOO_LARGE, () -> {
            for (int i = 0; i < 100; i++) {
                q(A, "INSERT INTO t VALUES (zeroblob(60000))");
            }
        });
        assertThat(e.getMessage()).contains("database or disk is full").contains("524288");
        long rows = (Long) scalar(A, "SELECT count(*) FROM t");
        assertThat(rows).isBetween(1L, 9L);
        q(A, "DELETE FROM t");
        q(A, "INSERT INTO t VALUES (zeroblob(60000))");
        BatchResult big = batch(A, st("INSERT INTO t VALUES (zeroblob(60000))"),
                st("INSERT INTO t SELECT v FROM t"), st("INSERT INTO t SELECT v FROM t"),
                st("INSERT INTO t SELECT v FROM t"), st("INSERT INTO t SELECT v FROM t"));
        assertThat(big.results().stream().filter(s -> s.error() != null).findFirst().orElseThrow().error().message())
                .contains("database or disk is full");
        assertThat(scalar(A, "SELECT count(*) FROM t")).isEqualTo(1L);
    }

    /**
     * One request waits in the only lane (on a lock the test holds, so for as long as the test wants), and the
     * pending limit of 1 refuses the next. Dropping a deleted axon's database is housekeeping: never refused.
     */
    @Test
    void pendingWorkIsBounded() throws Exception {
        SqlLimits one = limits().toBuilder().threads(1).maxPendingTasks(1).build();
        try (AxonSql tiny = new AxonSql(dir.resolve("tiny"), one)) {
            tiny.query(Caller.SYSTEM, A, "CREATE TABLE t (v INTEGER)", null);
            CompletableFuture<SqlResult> waiting;
            try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + tiny.databaseFile(A))) {
                try (Statement st = blocker.createStatement()) {
                    st.execute("BEGIN IMMEDIATE");
                }
                waiting = CompletableFuture.supplyAsync(() -> tiny.query(Caller.SYSTEM, A, "INSERT INTO t VALUES (1)", null),
                        task -> Thread.ofVirtual().start(task));
                await("the insert holds the only lane").atMost(Duration.ofSeconds(60)).until(() -> tiny.pendingRequests() == 1);

                var e = fails(ErrorKind.TOO_MANY_REQUESTS, () -> tiny.query(Caller.SYSTEM, "axn_other", "SELECT 1", null));
                assertThat(e.getMessage()).contains("sql.max-pending");
                var drop = tiny.dropAsync("axn_other");
                assertThat(waiting).isNotDone();

                try (Statement st = blocker.createStatement()) {
                    st.execute("COMMIT");
                }
                assertThat(waiting.get(60, TimeUnit.SECONDS).meta().changes()).isEqualTo(1);
                assertThat(drop.get(60, TimeUnit.SECONDS)).isFalse();
            }
        }
    }
}
