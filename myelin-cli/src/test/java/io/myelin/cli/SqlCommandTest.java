package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin sql} against a real server. */
@WithMyelinServer
class SqlCommandTest {
    @InjectServer
    static TestServer server;
    String axon;

    @BeforeEach
    void axon() {
        axon = Cli.run(server, "axons", "create", "-q").out().strip();
    }

    @Test
    void aFileRunsAsOneBatchAndEachStepIsReported(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, """
                -- the schema
                CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, stars REAL);
                INSERT INTO notes (body, stars) VALUES ('first; note', 4.5);
                INSERT INTO notes (body) VALUES ('second');
                """);
        Cli.Result r = Cli.run(server, "sql", axon, "--file", schema.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(4);
        assertThat(r.lines().get(0)).startsWith("step 1 ok").contains("CREATE TABLE notes");
        assertThat(r.lines().get(1)).startsWith("step 2 ok").contains("(1 changes");
        assertThat(r.lines().get(3)).isEqualTo("3 statements applied");

        Cli.Result table = Cli.run(server, "sql", axon, "SELECT id, body, stars FROM notes WHERE id >= ? ORDER BY id", "--param", "1");
        assertThat(table.exit()).isZero();
        assertThat(table.lines().get(0)).matches("id\\s+body\\s+stars");
        assertThat(table.lines().get(1)).matches("1\\s+first; note\\s+4.5");
        assertThat(table.lines().get(2)).matches("2\\s+second");
        assertThat(table.lines().get(3)).startsWith("(2 rows, 0 changes");

        JsonNode json = CliJson.tryParse(Cli.run(server, "sql", axon, "SELECT count(*) AS n FROM notes", "--json").out().strip());
        assertThat(json.get("columns").get(0).get("name").asText()).isEqualTo("n");
        assertThat(json.get("rows").get(0).get(0).asLong()).isEqualTo(2);
        assertThat(json.get("meta").has("duration_ms")).isTrue();
    }

    @Test
    void aFailingStepRollsBackAndExitsRejected(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.sql");
        Files.writeString(bad, "CREATE TABLE t (id INTEGER);\nINSERT INTO missing VALUES (1);\n");
        Cli.Result r = Cli.run(server, "sql", axon, "--file", bad.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).contains("FAILED");
        assertThat(r.err()).contains("rolled back");

        Cli.Result jsonSteps = Cli.run(server, "sql", axon, "--file", bad.toString(), "--json");
        assertThat(jsonSteps.lines()).allSatisfy(l -> assertThat(CliJson.tryParse(l)).isNotNull());

        Cli.Result gone = Cli.run(server, "sql", axon, "SELECT * FROM t");
        assertThat(gone.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(gone.err()).startsWith("myelin: 400 invalid_request").contains("t");
    }

    @Test
    void parametersKeepTheirJsonTypes() {
        Cli.Result r = Cli.run(server, "sql", axon, "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d",
                "-p", "42", "-p", "1.5", "-p", "hello", "-p", "null", "--json");
        JsonNode row = CliJson.tryParse(r.out().strip()).get("rows").get(0);
        assertThat(row.get(0).asText()).isEqualTo("integer");
        assertThat(row.get(1).asText()).isEqualTo("real");
        assertThat(row.get(2).asText()).isEqualTo("text");
        assertThat(row.get(3).asText()).isEqualTo("null");
    }
}
