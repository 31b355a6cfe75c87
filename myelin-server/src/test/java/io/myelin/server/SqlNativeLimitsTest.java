package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.axonsql.SqlLimits;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statements that drive SQLite's native recursion as deep as the limits allow, and past them, sent to a real
 * server whose SQL threads have half the default stack. Each must be answered (200, or a 4xx JSON error that names
 * the limit), and the server must still answer afterwards. A native stack overflow would kill the JVM running
 * this test, which fails the build.
 */
@Timeout(600)
// The deepest statements are slow on a loaded machine: they get all the time they need.
// The expanded size bounds time, not stack: raised so that a chain of 1,000 triggers fits.
@WithMyelinServer({"sql.thread-stack-size=" + SqlLimits.DEFAULT_THREAD_STACK_BYTES / 2, "sql.max-batch-statements=4000",
        "sql.statement-timeout=5m", "sql.batch-timeout=5m", "sql.max-expanded-size=40000"})
class SqlNativeLimitsTest {
    @InjectServer
    static TestServer s;

    @Test
    void theIssueInputAndItsGlobTwinAreRefusedAndTheServerStaysUp() {
        String axon = s.createAxon("native-like");
        String subject = "x".repeat(200_000);
        refused(axon, "LIKE or GLOB pattern too complex", "sql.max-like-pattern-bytes = 1000", "SELECT ? LIKE ?",
                subject, "%x".repeat(8000) + "%y");
        refused(axon, "LIKE or GLOB pattern too complex", "sql.max-like-pattern-bytes = 1000", "SELECT ? GLOB ?",
                subject, "*x".repeat(8000) + "*y");
        refused(axon, "LIKE or GLOB pattern too complex", "sql.max-like-pattern-bytes", "SELECT like(?, ?)",
                "%x".repeat(501), subject);
        refused(axon, "LIKE or GLOB pattern too complex", "sql.max-like-pattern-bytes",
                "SELECT ? LIKE ? ESCAPE '!'", subject, "%!x".repeat(400));
        // At the limit, every flavour of pattern runs.
        answered(axon, "SELECT ? LIKE ?", subject, "%x".repeat(499) + "%y");
        answered(axon, "SELECT ? GLOB ?", subject, "*[x]".repeat(249) + "*y");
        answered(axon, "SELECT ? LIKE ? ESCAPE '!'", subject, "%!x".repeat(333));
        answered(axon, "SELECT ? LIKE ?", "é".repeat(100_000), "%é".repeat(333));
        answered(axon, "SELECT ? GLOB ?", subject, "*?x".repeat(333));
    }

    @Test
    void deepExpressionsAndParserNestingAreAnsweredOrRefused() {
        String axon = s.createAxon("native-expr");
        answered(axon, "SELECT 1" + " BETWEEN 0 AND 2".repeat(998));
        refused(axon, "Expression tree is too large", "sql.max-expression-depth = 1000",
                "SELECT 1" + " BETWEEN 0 AND 2".repeat(1000));
        answered(axon, "SELECT 1" + " + 1".repeat(999));
        answered(axon, "SELECT " + "~".repeat(998) + "1");
        answered(axon, "SELECT sum(1) OVER (ORDER BY " + "(SELECT sum(1) OVER (ORDER BY ".repeat(177) + "1"
                + "))".repeat(177) + ")");
        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth = 2000",
                "SELECT sum(1) OVER (ORDER BY " + "(SELECT sum(1) OVER (ORDER BY ".repeat(300) + "1" + "))".repeat(300) + ")");
        refused(axon, "Recursion limit", "parser", "SELECT " + "abs(".repeat(2000) + "1" + ")".repeat(2000));
        refused(axon, "Recursion limit", "parser", "SELECT " + "CASE WHEN 1 THEN ".repeat(2000) + "1"
                + " END".repeat(2000));
        String from = "SELECT 1 AS x";
        for (int i = 0; i < 240; i++) {
            from = "SELECT x FROM (" + from + ") GROUP BY x";
        }
        answered(axon, from);
        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth = 2000",
                "SELECT * FROM (".repeat(2000) + "SELECT 1" + ")".repeat(2000));
        answered(axon, "SELECT 1" + " INTERSECT SELECT 1".repeat(499));
        refused(axon, "too many terms in compound SELECT", "sql.max-compound-select = 500",
                "SELECT 1" + " UNION SELECT 1".repeat(500));
        refused(axon, "too many columns in result set", "2000", "SELECT " + "1, ".repeat(2000) + "1");
        refused(axon, "too many arguments on function", "127", "SELECT char(" + "65, ".repeat(200) + "65)");
    }

    @Test
    void triggerAndViewChainsAtTheirLimitsAreAnsweredAndPastThemRefused() {
        String axon = s.createAxon("native-chains");
        List<Map<String, Object>> setup = new ArrayList<>();
        setup.add(st("CREATE TABLE base (x)"));
        setup.add(st("INSERT INTO base VALUES (1)"));
        // Two views whose expressions paste into each other up to the expanded depth.
        setup.add(st("CREATE VIEW v0 AS SELECT x FROM base"));
        for (int i = 1; i <= 2; i++) {
            setup.add(st("CREATE VIEW v" + i + " AS SELECT " + "~".repeat(960) + "x AS x FROM v" + (i - 1)));
        }
        setup.add(st("CREATE TABLE sink (x)"));
        for (int i = 0; i <= 1001; i++) {
            setup.add(st("CREATE TABLE t" + i + " (x)"));
        }
        for (int i = 0; i < 999; i++) {
            setup.add(st("CREATE TRIGGER tr" + i + " AFTER INSERT ON t" + i + " BEGIN INSERT INTO t" + (i + 1)
                    + " VALUES (new.x); END"));
        }
        setup.add(st("CREATE TRIGGER last AFTER INSERT ON t999 BEGIN INSERT INTO sink SELECT x FROM v2; END"));
        var r = s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", setup));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("results").findValues("error")).isEmpty();
        assertAlive(axon);

        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth = 2000",
                "CREATE VIEW too_deep AS SELECT " + "~".repeat(960) + "x AS x FROM v2");
        // 1,000 triggers compiled inside one another, the last reading the views.
        answered(axon, "INSERT INTO t0 VALUES (1)");
        assertThat(query(axon, "SELECT x FROM sink").json().at("/rows/0/0").asLong()).isEqualTo(1);
        var extra = s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql",
                "CREATE TRIGGER before_t0 BEFORE INSERT ON t1000 BEGIN INSERT INTO t0 VALUES (new.x); END"));
        assertThat(extra.status()).as(extra.body()).isEqualTo(200);
        refused(axon, "triggers nested too deep", "sql.max-trigger-depth = 1000", "INSERT INTO t1000 VALUES (1)");
    }

    @Test
    void whatSqlitePastesTogetherIsRefusedBeforeItIsCompiled() {
        String axon = s.createAxon("native-expansion");
        // One statement: 98 CTEs of 990 levels each overflowed a 64 MiB stack after minutes of compiling.
        StringBuilder ctes = new StringBuilder("WITH c0 AS (SELECT 1 AS x)");
        for (int k = 1; k <= 98; k++) {
            ctes.append(", c").append(k).append(" AS (SELECT ").append("~".repeat(990)).append("x AS x FROM c")
                    .append(k - 1).append(")");
        }
        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth = 2000",
                ctes + " SELECT x FROM c98");
        // Views built top first, each naming one that does not exist yet: measured when read.
        List<Map<String, Object>> views = new ArrayList<>();
        for (int i = 20; i > 0; i--) {
            views.add(st("CREATE VIEW v" + i + " AS SELECT " + "~".repeat(990) + "x AS x FROM v" + (i - 1)));
        }
        views.add(st("CREATE VIEW v0 AS SELECT 1 AS x"));
        // Generated columns reading one another, added one at a time.
        views.add(st("CREATE TABLE g (a, c0 AS (a))"));
        var r = s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", views));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("results").findValues("error")).isEmpty();
        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth", "SELECT x FROM v20");
        answered(axon, "SELECT x FROM v1");
        answered(axon, "ALTER TABLE g ADD COLUMN c1 AS (" + "~".repeat(990) + "c0)");
        answered(axon, "ALTER TABLE g ADD COLUMN c2 AS (" + "~".repeat(990) + "c1)");
        answered(axon, "SELECT c2 FROM g");
        refused(axon, "statement too deeply nested once expanded", "sql.max-expanded-depth",
                "ALTER TABLE g ADD COLUMN c3 AS (" + "~".repeat(990) + "c2)");
        // Views that each read the previous one twice: 2^16 expansions.
        List<Map<String, Object>> joins = new ArrayList<>();
        for (int i = 16; i > 0; i--) {
            joins.add(st("CREATE VIEW j" + i + " AS SELECT a.x AS x FROM j" + (i - 1) + " a, j" + (i - 1) + " b"));
        }
        joins.add(st("CREATE VIEW j0 AS SELECT 1 AS x"));
        r = s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", joins));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        refused(axon, "statement too large once expanded", "sql.max-expanded-size = 40000", "SELECT count(*) FROM j16");
        answered(axon, "SELECT count(*) FROM j4");
        // Dropping expands nothing.
        answered(axon, "DROP VIEW v20");
        answered(axon, "DROP VIEW j16");
    }

    @Test
    void deepJsonAndFullTextQueriesAreAnsweredOrRefused() {
        String axon = s.createAxon("native-json");
        answered(axon, "SELECT length(json_set('{}', ?, 2))", "$" + ".a".repeat(999));
        refused(axon, "JSON path too deep", "", "SELECT json_set('{}', ?, 2)", "$" + ".a".repeat(5000));
        answered(axon, "SELECT json_extract(?, ?)", "{\"a\":".repeat(999) + "1" + "}".repeat(999),
                "$" + ".a".repeat(999));
        refused(axon, "malformed JSON", "", "SELECT json(?)", "[".repeat(100_000) + "]".repeat(100_000));
        answered(axon, "SELECT json_valid(?)", "[".repeat(100_000) + "]".repeat(100_000));
        answered(axon, "SELECT length(json_pretty(?, ''))", "[".repeat(999) + "]".repeat(999));
        Map<String, Object> deepJsonb = Map.of("$blob", java.util.Base64.getEncoder().encodeToString(jsonbArray(100_000)));
        refused(axon, "JSON nested too deep", "", "SELECT json(?)", deepJsonb);
        answered(axon, "SELECT count(*) FROM json_tree(?)", deepJsonb);
        answered(axon, "SELECT json_type(?)", deepJsonb);

        var setup = s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", List.of(
                st("CREATE VIRTUAL TABLE f5 USING fts5(body)"), st("INSERT INTO f5 VALUES ('a b c')"),
                st("CREATE VIRTUAL TABLE f4 USING fts4(body)"), st("INSERT INTO f4 VALUES ('a b c')"))));
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        refused(axon, "fts5 expression tree is too large", "", "SELECT count(*) FROM f5 WHERE f5 MATCH ?",
                "a" + " NOT b".repeat(1000));
        refused(axon, "fts5: parser stack overflow", "", "SELECT count(*) FROM f5 WHERE f5 MATCH ?",
                "(a AND ".repeat(1000) + "b" + ")".repeat(1000));
        answered(axon, "SELECT count(*) FROM f5 WHERE f5 MATCH ?", "a" + " NOT b".repeat(250));
        answered(axon, "SELECT count(*) FROM f4 WHERE f4 MATCH ?", "(a AND ".repeat(999) + "b" + ")".repeat(999));
        refused(axon, "malformed MATCH expression", "", "SELECT count(*) FROM f4 WHERE f4 MATCH ?",
                "(a AND ".repeat(5000) + "b" + ")".repeat(5000));
        refused(axon, "FTS expression tree is too large", "", "SELECT count(*) FROM f4 WHERE f4 MATCH ?",
                "a" + " OR b".repeat(5000));
    }

    @Test
    void textFunctionsOnValuesAtTheSizeLimitAnswer() {
        String axon = s.createAxon("native-functions");
        // Each took SQLite's own version from 38 s (replace) to about 45 minutes (trim) in one uninterruptible step.
        String big = "printf('%.*c', 2097000, 'a')";
        String needle = "printf('%.*c', 1048576, 'a') || 'b'";
        String set = "(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 199999)"
                + " SELECT group_concat(char(65536 + i), '') FROM r) || 'a'";
        for (String sql : List.of("SELECT instr(" + big + ", " + needle + ")",
                "SELECT length(replace(" + big + ", " + needle + ", 'x'))",
                "SELECT length(trim(" + big + " || 'b', " + set + "))",
                "SELECT length(rtrim('b' || " + big + ", " + set + "))",
                "SELECT length(unhex(printf('%.*c', 2000000, ' ') || '0a', " + set + " || ' '))")) {
            answered(axon, sql);
        }
        assertThat(query(axon, "SELECT instr(" + big + " || 'b', " + needle + ")").json().at("/rows/0/0").asLong())
                .isEqualTo(2097000L - 1048576 + 1);
    }

    @Test
    void hugeSizesStayWithinTheValueAndProgramLimits() {
        String axon = s.createAxon("native-sizes");
        for (String sql : List.of("SELECT printf('%2147483000d', 1)", "SELECT printf('%.2147483000f', 1.0)",
                "SELECT printf('%!.2147483000g', 1e300)", "SELECT zeroblob(2000000000)", "SELECT randomblob(2000000000)",
                "SELECT hex(zeroblob(2000000))")) {
            var r = query(axon, sql);
            assertThat(r.status()).as(sql + ": " + r.body()).isEqualTo(413);
            assertThat(r.errorType()).isEqualTo("payload_too_large");
            assertAlive(axon);
        }
        StringBuilder doubling = new StringBuilder("CREATE TABLE g (a, c0 AS (a + a)");
        for (int i = 1; i < 40; i++) {
            doubling.append(", c").append(i).append(" AS (c").append(i - 1).append(" + c").append(i - 1).append(")");
        }
        refused(axon, "statement too complex", "1000000 operations", doubling + ")");
        answered(axon, "SELECT length(printf('%.*c', 2000000, 'x'))");
        answered(axon, "SELECT length(replace(zeroblob(1000000), x'00', 'a'))");
    }

    // ---- helpers

    private static Map<String, Object> st(String sql) {
        return Map.of("sql", sql);
    }

    private static TestServer.Reply query(String axon, String sql, Object... params) {
        Map<String, Object> body = new HashMap<>();
        body.put("sql", sql);
        if (params.length > 0) {
            body.put("params", Arrays.asList(params));
        }
        return s.post("/v1/axons/" + axon + "/sql/query", body);
    }

    private static void answered(String axon, String sql, Object... params) {
        var r = query(axon, sql, params);
        assertThat(r.status()).as(abbreviate(sql) + ": " + abbreviate(r.body())).isEqualTo(200);
        assertAlive(axon);
    }

    private static void refused(String axon, String sqliteMessage, String explanation, String sql, Object... params) {
        var r = query(axon, sql, params);
        assertThat(r.status()).as(abbreviate(sql) + ": " + abbreviate(r.body())).isEqualTo(400);
        assertThat(r.errorType()).isEqualTo("invalid_request");
        assertThat(r.errorField()).isEqualTo("sql");
        assertThat(r.json().at("/error/message").asText()).contains(sqliteMessage).contains(explanation);
        assertAlive(axon);
    }

    /** The server answers its health check and a normal query on the same axon. */
    private static void assertAlive(String axon) {
        assertThat(s.get("/healthz").status()).isEqualTo(200);
        var r = query(axon, "SELECT 41 + 1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/rows/0/0").asLong()).isEqualTo(42);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " chars)" : s;
    }

    /** A JSONB array nested {@code depth} levels, built by hand: SQLite's text parser stops at 1,000. */
    private static byte[] jsonbArray(int depth) {
        byte[] cur = {0x0b};
        for (int i = 1; i < depth; i++) {
            int n = cur.length;
            byte[] head = n <= 11 ? new byte[] {(byte) ((n << 4) | 0x0b)}
                    : n <= 0xff ? new byte[] {(byte) 0xcb, (byte) n}
                    : n <= 0xffff ? new byte[] {(byte) 0xdb, (byte) (n >> 8), (byte) n}
                    : new byte[] {(byte) 0xeb, (byte) (n >>> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            byte[] next = new byte[head.length + n];
            System.arraycopy(head, 0, next, 0, head.length);
            System.arraycopy(cur, 0, next, head.length, n);
            cur = next;
        }
        return cur;
    }
}
