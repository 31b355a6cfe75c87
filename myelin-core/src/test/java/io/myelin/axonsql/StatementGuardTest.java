package io.myelin.axonsql;

import static io.myelin.axonsql.SqlTestSupport.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.error.ErrorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementGuardTest {

    private static StatementGuard.Kind check(String sql) {
        return StatementGuard.check(StatementSplitter.single(sql, "sql").tokens(), "sql");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t", "WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1), (2)",
            "INSERT INTO t VALUES (?)", "REPLACE INTO t VALUES (1)", "UPDATE t SET a = 1 RETURNING *",
            "DELETE FROM t", "CREATE TABLE t (a INTEGER)", "CREATE INDEX i ON t(a)", "CREATE VIEW v AS SELECT 1",
            "CREATE TRIGGER trg AFTER INSERT ON t BEGIN DELETE FROM u; END", "DROP TABLE t",
            "ALTER TABLE t ADD COLUMN b TEXT", "ANALYZE", "REINDEX", "EXPLAIN QUERY PLAN SELECT * FROM t",
            "PRAGMA table_info(t)", "PRAGMA main.table_info('t')", "PRAGMA index_list(t)",
            "PRAGMA foreign_key_list(t)", "PRAGMA user_version", "PRAGMA user_version = 7", "PRAGMA foreign_keys",
            "PRAGMA journal_mode", "PRAGMA integrity_check", "SELECT * FROM pragma_table_info('t')",
            "CREATE VIRTUAL TABLE docs USING fts5(body)", "CREATE VIRTUAL TABLE r USING rtree(id, x0, x1)",
            "SELECT 'temp' AS temp FROM t", "SELECT temperature FROM t",
    })
    void allowed(String sql) {
        assertThat(check(sql)).isIn(StatementGuard.Kind.ORDINARY, StatementGuard.Kind.READ_ONLY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t", "select 1", "WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1), (2)",
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5) SELECT * FROM r",
            "WITH a AS MATERIALIZED (SELECT 1), b AS (SELECT 2) SELECT * FROM a, b",
            "EXPLAIN QUERY PLAN SELECT * FROM t", "EXPLAIN DELETE FROM t", "PRAGMA table_info(t)",
            "PRAGMA user_version", "PRAGMA foreign_keys", "PRAGMA integrity_check", "PRAGMA main.index_list(t)",
    })
    void readOnlyStatementsAreKnown(String sql) {
        assertThat(check(sql).mayWrite()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO t VALUES (?)", "REPLACE INTO t VALUES (1)", "UPDATE t SET a = 1 RETURNING *",
            "DELETE FROM t", "CREATE TABLE t (a INTEGER)", "DROP TABLE t", "ALTER TABLE t ADD COLUMN b TEXT",
            "ANALYZE", "REINDEX", "PRAGMA user_version = 7", "PRAGMA optimize", "VACUUM",
            "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
            "WITH x AS (SELECT 1), y AS (SELECT (SELECT 2)) DELETE FROM t WHERE a IN (SELECT * FROM x)",
            "CREATE VIRTUAL TABLE docs USING fts5(body)",
    })
    void everythingElseMayWrite(String sql) {
        assertThat(check(sql).mayWrite()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"VACUUM", "vacuum main", "VACUUM \"main\""})
    void plainVacuumIsAllowed(String sql) {
        assertThat(check(sql)).isEqualTo(StatementGuard.Kind.VACUUM);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ATTACH 'other.db' AS o", "attach database '/etc/passwd' as p", "DETACH o", "EXPLAIN ATTACH 'x' AS y",
            "VACUUM INTO '/tmp/copy.db'", "VACUUM main INTO 'x.db'", "vacuum temp",
            "SELECT load_extension('/tmp/evil.so')", "SELECT \"load_extension\"('x')", "SELECT LOAD_EXTENSION('x')",
            "SELECT fts3_tokenizer('simple')", "SELECT * FROM sqlite_dbpage", "SELECT * FROM 'sqlite_dbpage'",
            "PRAGMA writable_schema=1", "PRAGMA writable_schema = ON", "PRAGMA main.writable_schema=1",
            "EXPLAIN PRAGMA writable_schema=1", "PRAGMA \"writable_schema\"=1", "PRAGMA 'journal_mode'='off'",
            "PRAGMA journal_mode=off", "PRAGMA journal_mode=DELETE", "PRAGMA locking_mode=EXCLUSIVE",
            "PRAGMA synchronous=OFF", "PRAGMA synchronous=0", "PRAGMA max_page_count=999999999",
            "PRAGMA mmap_size=1000000", "PRAGMA temp_store_directory='/tmp'", "PRAGMA data_store_directory='/'",
            "PRAGMA foreign_keys=OFF", "PRAGMA trusted_schema=ON", "PRAGMA cache_size=1000000",
            "PRAGMA page_size=65536", "PRAGMA auto_vacuum=NONE", "PRAGMA wal_checkpoint(TRUNCATE)",
            "PRAGMA temp.table_info(t)", "PRAGMA database_list", "PRAGMA cell_size_check=ON",
            "PRAGMA ignore_check_constraints=ON", "PRAGMA query_only=1", "PRAGMA secure_delete=ON",
            "PRAGMA hard_heap_limit=1", "PRAGMA soft_heap_limit=1", "PRAGMA threads=8",
            "PRAGMA schema_version=1", "PRAGMA recursive_triggers=ON", "PRAGMA shrink_memory",
            "SELECT * FROM pragma_database_list", "SELECT file FROM \"pragma_database_list\"",
            "CREATE TEMP TABLE x(a)", "CREATE TEMPORARY VIEW v AS SELECT 1", "CREATE TABLE temp.x(a)",
            "CREATE TABLE \"temp\".x(a)", "CREATE VIRTUAL TABLE s USING dbstat",
            "CREATE VIRTUAL TABLE p USING sqlite_dbpage", "CREATE TRIGGER t1 AFTER INSERT ON t BEGIN"
                    + " SELECT load_extension('x'); END",
            "CREATE VIEW v AS SELECT * FROM pragma_database_list",
    })
    void refused(String sql) {
        var e = fails(ErrorKind.FORBIDDEN, () -> check(sql));
        assertThat(e.getMessage()).contains("refused").doesNotContain("null");
        assertThat(e.field()).isEqualTo("sql");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "END", "ROLLBACK", "SAVEPOINT s", "RELEASE s",
            "ROLLBACK TO s"})
    void transactionControlIsRejected(String sql) {
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> check(sql)).getMessage()).contains("transaction control");
    }
}
