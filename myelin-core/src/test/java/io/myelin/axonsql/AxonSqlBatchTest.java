package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AxonSqlBatchTest extends SqlTestSupport {
    private static final String A = "axn_batch";

    @BeforeEach
    void schema() {
        batch(A, st("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, done INTEGER NOT NULL"
                + " DEFAULT 0)"), st("INSERT INTO tasks (title) VALUES (?)", "existing"));
    }

    private long count() {
        return (Long) scalar(A, "SELECT count(*) FROM tasks");
    }

    @Test
    void successfulBatchReturnsOneResultPerStatementAndCommits() {
        BatchResult r = batch(A,
                st("UPDATE tasks SET done = 1 WHERE id = ?", 1),
                st("INSERT INTO tasks (title) VALUES (?)", "Follow-up review"),
                st("SELECT id, title, done FROM tasks ORDER BY id"));
        assertThat(r.results()).hasSize(3).allSatisfy(s -> assertThat(s.error()).isNull());
        assertThat(r.results().get(0).success().meta().changes()).isEqualTo(1);
        assertThat(r.results().get(1).success().meta().changes()).isEqualTo(1);
        assertThat(r.results().get(2).success().rows()).containsExactly(List.of(1L, "existing", 1L),
                List.of(2L, "Follow-up review", 0L));
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void failingStatementRollsBackEverythingAndLaterStepsAreNotRun() {
        BatchResult r = batch(A,
                st("INSERT INTO tasks (title) VALUES (?)", "Valid insert"),
                st("INSERT INTO nonexistent (col) VALUES (?)", "This fails"),
                st("INSERT INTO tasks (title) VALUES (?)", "never"),
                st("DELETE FROM tasks"));
        assertThat(r.results().get(0).success()).isNotNull();
        assertThat(r.results().get(0).error()).isNull();
        assertThat(r.results().get(1).success()).isNull();
        assertThat(r.results().get(1).error().message()).isEqualTo("statement 1: no such table: nonexistent");
        assertThat(r.results().subList(2, 4)).allSatisfy(s -> {
            assertThat(s.success()).isNull();
            assertThat(s.error().message()).isEqualTo("not executed: statement 1 failed");
        });
        assertThat(count()).as("the first insert was rolled back").isEqualTo(1);
    }

    @Test
    void constraintViolationsRollBackTheWholeBatch() {
        BatchResult unique = batch(A, st("INSERT INTO tasks (title) VALUES ('a')"),
                st("INSERT INTO tasks (title) VALUES ('existing')"));
        assertThat(unique.results().get(1).error().message()).contains("UNIQUE constraint failed: tasks.title");
        BatchResult notNull = batch(A, st("UPDATE tasks SET done = 5"), st("INSERT INTO tasks (title) VALUES (NULL)"));
        assertThat(notNull.results().get(1).error().message()).contains("NOT NULL constraint failed");
        batch(A, st("CREATE TABLE child (tid INTEGER REFERENCES tasks(id))"));
        BatchResult fk = batch(A, st("INSERT INTO tasks (title) VALUES ('b')"), st("INSERT INTO child VALUES (99)"));
        assertThat(fk.results().get(1).error().message()).isEqualTo("statement 1: FOREIGN KEY constraint failed");
        assertThat(count()).isEqualTo(1);
        assertThat(scalar(A, "SELECT done FROM tasks")).isEqualTo(0L);
    }

    @Test
    void ddlIsRolledBackToo() {
        BatchResult r = batch(A, st("CREATE TABLE extra (a)"), st("ALTER TABLE tasks ADD COLUMN note TEXT"),
                st("SELECT * FROM missing"));
        assertThat(r.results().get(2).error()).isNotNull();
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT * FROM extra"));
        assertThat(q(A, "SELECT * FROM tasks").columns()).hasSize(3);
    }

    @Test
    void refusedStatementFailsTheWholeRequestBeforeAnythingRuns() {
        var e = fails(ErrorKind.FORBIDDEN, () -> batch(A, st("INSERT INTO tasks (title) VALUES ('x')"),
                st("PRAGMA journal_mode=DELETE")));
        assertThat(e.field()).isEqualTo("statements[1].sql");
        var multi = fails(ErrorKind.INVALID_REQUEST, () -> batch(A, st("DELETE FROM tasks"),
                st("SELECT 1; DELETE FROM tasks")));
        assertThat(multi.field()).isEqualTo("statements[1].sql");
        var param = fails(ErrorKind.INVALID_REQUEST, () -> batch(A, st("DELETE FROM tasks"),
                st("SELECT ?", List.of(1))));
        assertThat(param.field()).isEqualTo("statements[1].params[0]");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void malformedBatchesAre400() {
        fails(ErrorKind.INVALID_REQUEST, () -> sql().batch(Caller.SYSTEM, A, List.of()));
        fails(ErrorKind.INVALID_REQUEST, () -> sql().batch(Caller.SYSTEM, A, null));
        List<SqlStatement> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> sql().batch(Caller.SYSTEM, A, withNull)).field()).isEqualTo("statements[0]");
        fails(ErrorKind.INVALID_REQUEST, () -> batch(A, new SqlStatement(null, null)));
        List<SqlStatement> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(st("SELECT 1"));
        }
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> sql().batch(Caller.SYSTEM, A, tooMany)).getMessage()).contains("100");
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> batch(A, st("BEGIN"))).getMessage())
                .contains("transaction control");
    }

    @Test
    void parameterMismatchIsAStepError() {
        BatchResult r = batch(A, st("INSERT INTO tasks (title) VALUES ('p')"), st("SELECT ?, ?", 1));
        assertThat(r.results().get(1).error().message()).startsWith("statement 1: ").contains("2 placeholders");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void timeoutInsideABatchRollsBackAndTheAxonStaysUsable() {
        AxonSql quick = withStatementTimeout(Duration.ofMillis(300));
        quick.batch(Caller.SYSTEM, A, List.of(st("CREATE TABLE tasks (title TEXT NOT NULL)")));
        BatchResult r = quick.batch(Caller.SYSTEM, A, List.of(st("INSERT INTO tasks (title) VALUES ('slow')"),
                st("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"),
                st("SELECT 1")));
        assertThat(r.results().get(1).error().message()).startsWith("statement 1: statement timed out");
        assertThat(r.results().get(2).error().message()).isEqualTo("not executed: statement 1 failed");
        assertThat(countIn(quick)).isZero();
        assertThat(quick.batch(Caller.SYSTEM, A, List.of(st("INSERT INTO tasks (title) VALUES ('after')")))
                .results().getFirst().error()).isNull();
        assertThat(countIn(quick)).isEqualTo(1);
    }

    private static long countIn(AxonSql engine) {
        return (Long) engine.query(Caller.SYSTEM, A, "SELECT count(*) FROM tasks", null).rows().getFirst().getFirst();
    }

    @Test
    void commitFailureFailsTheWholeCallAndRollsBack() {
        batch(A, st("CREATE TABLE child (tid INTEGER REFERENCES tasks(id) DEFERRABLE INITIALLY DEFERRED)"));
        var e = fails(ErrorKind.INVALID_REQUEST, () -> batch(A, st("INSERT INTO tasks (title) VALUES ('c')"),
                st("INSERT INTO child VALUES (42)")));
        assertThat(e.getMessage()).startsWith("batch rolled back: COMMIT failed: FOREIGN KEY constraint failed");
        assertThat(count()).isEqualTo(1);
        assertThat(scalar(A, "SELECT count(*) FROM child")).isEqualTo(0L);
        assertThat(batch(A, st("INSERT INTO tasks (title) VALUES ('d')")).results().getFirst().error()).isNull();
    }

    @Test
    void taskQueueClaimWithReturning() {
        batch(A, st("CREATE TABLE queue (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, claimed INTEGER NOT NULL"
                + " DEFAULT 0, created_at TEXT NOT NULL DEFAULT (datetime('now')))"));
        q(A, "INSERT INTO queue (payload) VALUES (?)", "{\"task\": \"run-tests\", \"repo\": \"runloop\"}");
        q(A, "INSERT INTO queue (payload) VALUES (?)", "{\"task\": \"second\"}");
        String claim = "UPDATE queue SET claimed = 1 WHERE id = (SELECT id FROM queue WHERE claimed = 0 ORDER BY id"
                + " LIMIT 1) RETURNING *";
        SqlResult first = batch(A, st(claim)).results().getFirst().success();
        assertThat(first.rows()).hasSize(1);
        assertThat(first.rows().getFirst().subList(0, 3)).containsExactly(1L,
                "{\"task\": \"run-tests\", \"repo\": \"runloop\"}", 1L);
        assertThat(first.columns()).extracting(SqlResult.Column::name)
                .containsExactly("id", "payload", "claimed", "created_at");
        assertThat(first.meta().changes()).isEqualTo(1);
        assertThat(batch(A, st(claim)).results().getFirst().success().rows().getFirst().getFirst()).isEqualTo(2L);
        assertThat(batch(A, st(claim)).results().getFirst().success().rows()).isEmpty();
    }
}
