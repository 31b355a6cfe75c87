package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Axon SQL over real HTTP: wire shapes, status codes, error bodies, deletion. */
// Statements get all the time they need on a loaded machine; the statement timeout has a server of its own below.
@WithMyelinServer({"sql.statement-timeout=5m", "sql.batch-timeout=5m", "sql.max-rows=1000"})
class SqlApiTest {
    @InjectServer
    static TestServer s;

    private static TestServer.Reply query(String axon, String sql, Object... params) {
        Map<String, Object> body = new HashMap<>();
        body.put("sql", sql);
        if (params.length > 0) {
            body.put("params", Arrays.asList(params));
        }
        return s.post("/v1/axons/" + axon + "/sql/query", body);
    }

    private static TestServer.Reply batch(String axon, Object... statements) {
        return s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", Arrays.asList(statements)));
    }

    private static Map<String, Object> st(String sql, Object... params) {
        return params.length == 0 ? Map.of("sql", sql) : Map.of("sql", sql, "params", Arrays.asList(params));
    }

    @Test
    void queryAnswersTheDocumentedShape() {
        String axon = s.createAxon("sql-shape");
        assertThat(batch(axon, st("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT"
                + " NULL DEFAULT 0)")).status()).isEqualTo(200);
        assertThat(query(axon, "INSERT INTO tasks (title) VALUES (?)", "Review the latest PR").json()
                .get("meta").get("changes").asLong()).isEqualTo(1);
        query(axon, "INSERT INTO tasks (title) VALUES (?)", "Update CI pipeline");
        var r = query(axon, "SELECT id, title, done FROM tasks WHERE done = 0");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("columns").toString()).isEqualTo("[{\"name\":\"id\",\"type\":\"INTEGER\"},"
                + "{\"name\":\"title\",\"type\":\"TEXT\"},{\"name\":\"done\",\"type\":\"INTEGER\"}]");
        assertThat(j.get("rows").toString()).isEqualTo("[[1,\"Review the latest PR\",0],[2,\"Update CI pipeline\",0]]");
        assertThat(j.get("meta").get("changes").asLong()).isZero();
        assertThat(j.get("meta").get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(j.get("meta").get("rows_read_limit_reached").asBoolean()).isFalse();
        assertThat(j.get("meta").size()).isEqualTo(3);
    }

    @Test
    void valuesAndParamsRoundTripAsJson() {
        String axon = s.createAxon("sql-values");
        String body = "{\"sql\":\"SELECT ?, ?, ?, ?, ?, ?, typeof(?), NULL, 1e999, x'00ff'\","
                + "\"params\":[true, false, 9007199254740993, 2.5, \"text\", null, {\"$blob\":\"AAH/\"}]}";
        var r = s.post("/v1/axons/" + axon + "/sql/query", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("rows").toString())
                .isEqualTo("[[1,0,9007199254740993,2.5,\"text\",null,\"blob\",null,null,\"AP8=\"]]");
        var bad = s.post("/v1/axons/" + axon + "/sql/query", "{\"sql\":\"SELECT ?\",\"params\":[[1]]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorField()).isEqualTo("params[0]");
        var badObj = s.post("/v1/axons/" + axon + "/sql/batch",
                "{\"statements\":[{\"sql\":\"SELECT 1\"},{\"sql\":\"SELECT ?\",\"params\":[{\"a\":1}]}]}");
        assertThat(badObj.status()).isEqualTo(400);
        assertThat(badObj.errorField()).isEqualTo("statements[1].params[0]");
    }

    @Test
    void truncationAtOneThousandRows() {
        String axon = s.createAxon("sql-rows");
        String gen = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) SELECT x FROM c";
        JsonNode exact = query(axon, gen.formatted(1000)).json();
        assertThat(exact.get("rows").size()).isEqualTo(1000);
        assertThat(exact.get("meta").get("rows_read_limit_reached").asBoolean()).isFalse();
        JsonNode over = query(axon, gen.formatted(1001)).json();
        assertThat(over.get("rows").size()).isEqualTo(1000);
        assertThat(over.get("meta").get("rows_read_limit_reached").asBoolean()).isTrue();
    }

    @Test
    void batchFailureIs200WithPerStepResultsAndRollsBack() {
        String axon = s.createAxon("sql-batch");
        batch(axon, st("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)"));
        var r = batch(axon, st("INSERT INTO tasks (title) VALUES (?)", "Valid insert"),
                st("INSERT INTO nonexistent (col) VALUES (?)", "This fails"), st("SELECT 1"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results.size()).isEqualTo(3);
        assertThat(results.get(0).has("success")).isTrue();
        assertThat(results.get(0).has("error")).isFalse();
        assertThat(results.get(1).has("success")).isFalse();
        assertThat(results.get(1).get("error").get("message").asText())
                .isEqualTo("statement 1: no such table: nonexistent");
        assertThat(results.get(2).get("error").get("message").asText()).isEqualTo("not executed: statement 1 failed");
        assertThat(query(axon, "SELECT count(*) FROM tasks").json().get("rows").get(0).get(0).asLong()).isZero();
    }

    @Test
    void errorsCarryKindFieldAndSqliteMessage() {
        String axon = s.createAxon("sql-errors");
        var missing = query(axon, "SELECT * FROM nonexistent_table");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorType()).isEqualTo("invalid_request");
        assertThat(missing.json().get("error").get("message").asText()).isEqualTo("no such table: nonexistent_table");
        var multi = query(axon, "SELECT 1; SELECT 2");
        assertThat(multi.status()).isEqualTo(400);
        assertThat(multi.errorField()).isEqualTo("sql");
        var attach = query(axon, "ATTACH '/tmp/x.db' AS x");
        assertThat(attach.status()).isEqualTo(403);
        assertThat(attach.errorType()).isEqualTo("forbidden");
        assertThat(attach.json().get("error").get("message").asText()).contains("ATTACH");
        var refusedInBatch = batch(axon, st("SELECT 1"), st("PRAGMA writable_schema=1"));
        assertThat(refusedInBatch.status()).isEqualTo(403);
        assertThat(refusedInBatch.errorField()).isEqualTo("statements[1].sql");
        try (TestServer quick = TestServer.start(Map.of("sql.statement-timeout", "300ms"))) {
            String q = "/v1/axons/" + quick.createAxon("sql-timeout") + "/sql/query";
            var timeout = quick.post(q, Map.of("sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
            assertThat(timeout.status()).isEqualTo(400);
            assertThat(timeout.json().get("error").get("message").asText()).startsWith("statement timed out");
            assertThat(quick.post(q, Map.of("sql", "SELECT 1")).status()).isEqualTo(200);
        }
    }

    @Test
    void malformedBodiesAre400NamingTheField() {
        String axon = s.createAxon("sql-bodies");
        String q = "/v1/axons/" + axon + "/sql/query";
        String b = "/v1/axons/" + axon + "/sql/batch";
        assertThat(s.post(q, "{}").errorField()).isEqualTo("sql");
        assertThat(s.post(q, "{\"sql\":5}").errorField()).isEqualTo("sql");
        assertThat(s.post(q, "{\"sql\":\"SELECT ?\",\"params\":\"x\"}").errorField()).isEqualTo("params");
        assertThat(s.post(q, "{\"sql\":").status()).isEqualTo(400);
        assertThat(s.post(b, "{}").errorField()).isEqualTo("statements");
        assertThat(s.post(b, "{\"statements\":{}}").errorField()).isEqualTo("statements");
        assertThat(s.post(b, "{\"statements\":[]}").errorField()).isEqualTo("statements");
        assertThat(s.post(b, "{\"statements\":[\"SELECT 1\"]}").errorField()).isEqualTo("statements[0]");
        assertThat(s.post(b, "{\"statements\":[{\"sql\":\"SELECT 1\"},{}]}").errorField()).isEqualTo("statements[1].sql");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(st("SELECT 1"));
        }
        assertThat(s.post(b, Map.of("statements", many)).status()).isEqualTo(400);
        for (var r : List.of(s.post(q, "{}"), s.post(b, "{}"))) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorType()).isEqualTo("invalid_request");
        }
    }

    @Test
    void unknownOrDeletedAxonIs404AndDeletionRemovesTheDatabase() throws Exception {
        assertThat(query("axn_doesnotexist", "SELECT 1").status()).isEqualTo(404);
        assertThat(batch("axn_doesnotexist", st("SELECT 1")).status()).isEqualTo(404);
        String axon = s.createAxon("sql-delete");
        query(axon, "CREATE TABLE t (a)");
        Path root = s.server().dataDir().resolve("sql");
        assertThat(dbFiles(root, axon)).isNotEmpty();
        assertThat(s.delete("/v1/axons/" + axon).status()).isEqualTo(200);
        assertThat(query(axon, "SELECT 1").status()).isEqualTo(404);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> dbFiles(root, axon).isEmpty());
    }

    @Test
    void axonsDoNotSeeEachOthersTables() {
        String a = s.createAxon("sql-a");
        String b = s.createAxon("sql-b");
        query(a, "CREATE TABLE secret (v TEXT)");
        query(a, "INSERT INTO secret VALUES ('a only')");
        assertThat(query(b, "SELECT * FROM secret").status()).isEqualTo(400);
        assertThat(query(a, "SELECT v FROM secret").json().get("rows").get(0).get(0).asText()).isEqualTo("a only");
    }

    @Test
    void metricsShowOpenDatabases() {
        String axon = s.createAxon("sql-metrics");
        query(axon, "SELECT 1");
        String metrics = s.get("/metrics").body();
        assertThat(metrics).contains("myelin_sql_open_databases").contains("myelin_sql_pending");
    }

    private static List<Path> dbFiles(Path root, String axon) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(axon)).toList();
        }
    }
}
