package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documentation's walkthrough and patterns, step by step. */
class AxonSqlDocPatternsTest extends SqlTestSupport {
    private static final String A = "axn_docs";

    @Test
    void gettingStarted() {
        for (int run = 0; run < 2; run++) { // IF NOT EXISTS makes schema setup safe on every startup
            BatchResult schema = batch(A,
                    st("CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER"
                            + " NOT NULL DEFAULT 0, created_at TEXT NOT NULL DEFAULT (datetime('now')))"),
                    st("CREATE INDEX IF NOT EXISTS idx_tasks_done ON tasks(done)"),
                    st("CREATE INDEX IF NOT EXISTS idx_tasks_created ON tasks(created_at)"));
            assertThat(schema.results()).allSatisfy(s -> assertThat(s.error()).isNull());
        }
        q(A, "INSERT INTO tasks (title) VALUES (?)", "Review the latest PR");
        q(A, "INSERT INTO tasks (title) VALUES (?)", "Update CI pipeline");

        SqlResult open = q(A, "SELECT id, title, done FROM tasks WHERE done = 0");
        assertThat(open.columns()).containsExactly(new SqlResult.Column("id", "INTEGER"),
                new SqlResult.Column("title", "TEXT"), new SqlResult.Column("done", "INTEGER"));
        assertThat(open.rows()).containsExactly(List.of(1L, "Review the latest PR", 0L),
                List.of(2L, "Update CI pipeline", 0L));
        assertThat(open.meta().changes()).isZero();
        assertThat(open.meta().rowsReadLimitReached()).isFalse();

        assertThat(q(A, "SELECT * FROM tasks WHERE done = ? AND title LIKE ?", 0, "%PR%").rows()).hasSize(1);

        BatchResult tx = batch(A, st("UPDATE tasks SET done = 1 WHERE id = ?", 1),
                st("INSERT INTO tasks (title) VALUES (?)", "Deploy to staging"));
        assertThat(tx.results()).extracting(s -> s.success().meta().changes()).containsExactly(1L, 1L);
        assertThat(q(A, "SELECT title FROM tasks WHERE done = 0 ORDER BY id").rows())
                .containsExactly(List.of("Update CI pipeline"), List.of("Deploy to staging"));
        assertThat((String) scalar(A, "SELECT created_at FROM tasks WHERE id = 1"))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void keyValueStore() {
        batch(A, st("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
                st("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", "cursor", "evt_42"),
                st("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", "status", "running"));
        assertThat(q(A, "SELECT value FROM kv WHERE key = ?", "cursor").rows()).containsExactly(List.of("evt_42"));
        q(A, "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", "cursor", "evt_43");
        assertThat(scalar(A, "SELECT value FROM kv WHERE key = ?", "cursor")).isEqualTo("evt_43");
        assertThat(scalar(A, "SELECT count(*) FROM kv")).isEqualTo(2L);
    }

    @Test
    void schemaVersioning() {
        for (int run = 0; run < 2; run++) {
            q(A, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)");
            SqlResult r = q(A, "SELECT MAX(version) as v FROM schema_version");
            assertThat(r.columns()).containsExactly(new SqlResult.Column("v", ""));
            Object v = r.rows().getFirst().getFirst();
            long current = v == null ? 0 : (Long) v;
            if (current < 1) {
                assertThat(batch(A, st("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done"
                                + " INTEGER NOT NULL DEFAULT 0)"),
                        st("INSERT INTO schema_version (version) VALUES (1)")).results())
                        .allSatisfy(s -> assertThat(s.error()).isNull());
                q(A, "INSERT INTO tasks (title) VALUES ('old row')");
            }
            if (current < 2) {
                // Adding a NOT NULL column with a non-constant default to a non-empty table is an error in
                // SQLite; the documented migration surfaces it as a step error and rolls the version back.
                BatchResult m = batch(A,
                        st("ALTER TABLE tasks ADD COLUMN created_at TEXT NOT NULL DEFAULT (datetime('now'))"),
                        st("CREATE INDEX idx_tasks_created ON tasks(created_at)"),
                        st("INSERT INTO schema_version (version) VALUES (2)"));
                if (m.results().getFirst().error() != null) {
                    assertThat(m.results().getFirst().error().message())
                            .startsWith("statement 0: Cannot add a column with non-constant default");
                    batch(A, st("ALTER TABLE tasks ADD COLUMN created_at TEXT NOT NULL DEFAULT ''"),
                            st("CREATE INDEX idx_tasks_created ON tasks(created_at)"),
                            st("INSERT INTO schema_version (version) VALUES (2)"));
                }
            }
        }
        assertThat(scalar(A, "SELECT MAX(version) FROM schema_version")).isEqualTo(2L);
        assertThat(q(A, "PRAGMA table_info(tasks)").rows()).hasSize(4);
        assertThat(q(A, "PRAGMA index_list(tasks)").rows()).hasSize(1);
    }

    @Test
    void errorHandlingExample() {
        batch(A, st("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)"));
        BatchResult r = batch(A, st("INSERT INTO tasks (title) VALUES (?)", "Valid insert"),
                st("INSERT INTO nonexistent (col) VALUES (?)", "This fails"));
        assertThat(r.results().get(0).success()).isNotNull();
        assertThat(r.results().get(1).error().message()).contains("no such table: nonexistent");
        assertThat(scalar(A, "SELECT count(*) FROM tasks")).isEqualTo(0L);
    }
}
