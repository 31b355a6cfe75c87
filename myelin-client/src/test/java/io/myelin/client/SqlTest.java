package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class SqlTest {
    @InjectServer
    static TestServer server;
    static MyelinClient client;
    AxonSql sql;

    @BeforeAll
    static void start() {
        client = Clients.of(server);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void axon() {
        sql = client.axon(client.axons().create().id()).sql();
    }

    record Todo(long id, String title, boolean done) {
    }

    @Test
    void batchThenQueryWithTypedResultsAndARowMapper() {
        SqlBatchResult setup = sql.batch(List.of(
                SqlStatement.of("CREATE TABLE todo (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER, score REAL, data BLOB)"),
                SqlStatement.of("INSERT INTO todo (title, done, score, data) VALUES (?, ?, ?, ?)", "write docs", 0, 1.5, new byte[] {1, 2, 3}),
                SqlStatement.of("INSERT INTO todo (title, done, score, data) VALUES (?, ?, ?, ?)", "ship", 1, null, null)));
        assertThat(setup.ok()).isTrue();
        assertThat(setup.results()).hasSize(3);
        assertThat(setup.results().get(1).success().meta().changes()).isEqualTo(1);

        SqlResult r = sql.query("SELECT id, title, done, score, data FROM todo ORDER BY id");
        assertThat(r.columns()).extracting(SqlColumn::name).containsExactly("id", "title", "done", "score", "data");
        assertThat(r.columns()).extracting(SqlColumn::type).containsExactly("INTEGER", "TEXT", "INTEGER", "REAL", "BLOB");
        assertThat(r.rows()).hasSize(2);
        assertThat(r.rows().get(0).get(0)).isEqualTo(1L);
        assertThat(r.rows().get(0).get(3)).isEqualTo(1.5);
        assertThat(r.rows().get(1).get(3)).isNull();
        assertThat(r.meta().rowsReadLimitReached()).isFalse();

        SqlRow first = r.asRows().getFirst();
        assertThat(first.getBytes("data")).containsExactly(1, 2, 3);
        assertThat(first.getDouble("score")).isEqualTo(1.5);
        assertThat(r.asRows().get(1).isNull("data")).isTrue();

        List<Todo> todos = r.map(row -> new Todo(row.getLong("id"), row.getString("title"), row.getLong("done") == 1));
        assertThat(todos).containsExactly(new Todo(1, "write docs", false), new Todo(2, "ship", true));

        SqlResult open = sql.query("SELECT title FROM todo WHERE done = ? AND title LIKE ?", 0, "write%");
        assertThat(open.map(row -> row.getString("title"))).containsExactly("write docs");
    }

    @Test
    void aFailedStepReportsItsErrorAndRollsBackTheBatch() {
        SqlBatchResult b = sql.batch(List.of(
                SqlStatement.of("CREATE TABLE t (id INTEGER PRIMARY KEY)"),
                SqlStatement.of("INSERT INTO t (id) VALUES (?)", 1),
                SqlStatement.of("INSERT INTO nope (id) VALUES (1)")));
        assertThat(b.ok()).isFalse();
        assertThat(b.firstFailure()).contains(b.results().size() - 1);
        SqlStep failed = b.results().getLast();
        assertThat(failed.ok()).isFalse();
        assertThat(failed.error().message()).contains("nope");
        assertThat(failed.success()).isNull();
        // Atomic: the table from step 1 does not exist.
        assertThatThrownBy(() -> sql.query("SELECT * FROM t")).isInstanceOfSatisfying(MyelinApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void invalidSqlIsATypedError() {
        assertThatThrownBy(() -> sql.query("SELEKT 1")).isInstanceOfSatisfying(MyelinApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("invalid_request");
            assertThat(e.serverMessage()).isNotBlank();
        });
        assertThatThrownBy(() -> client.axon("axn_missing").sql().query("SELECT 1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void nullParametersBind() {
        SqlResult r = sql.query("SELECT ? IS NULL AS n, ? AS s", null, "x");
        assertThat(r.asRows().getFirst().getLong("n")).isEqualTo(1L);
        assertThat(r.asRows().getFirst().getString("s")).isEqualTo("x");
    }
}
