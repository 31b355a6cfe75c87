package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AxonSqlQueryTest extends SqlTestSupport {
    private static final String A = "axn_query";

    @Test
    void typesAndDeclaredTypesMatchTheWireContract() {
        q(A, "CREATE TABLE t (i INTEGER, s TEXT, r REAL, b BLOB, v VARCHAR(10), u)");
        q(A, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", 42, "héllo", 1.5, Map.of("$blob", "AAEC/w=="), "v", null);
        SqlResult r = q(A, "SELECT i, s, r, b, v, u, i + 1 AS expr, 1e999 AS inf FROM t");
        assertThat(r.columns()).extracting(SqlResult.Column::name)
                .containsExactly("i", "s", "r", "b", "v", "u", "expr", "inf");
        assertThat(r.columns()).extracting(SqlResult.Column::type)
                .containsExactly("INTEGER", "TEXT", "REAL", "BLOB", "VARCHAR(10)", "", "", "");
        assertThat(r.rows()).containsExactly(java.util.Arrays.asList(42L, "héllo", 1.5, "AAEC/w==", "v", null, 43L,
                null));
        assertThat(r.meta().changes()).isZero();
        assertThat(r.meta().rowsReadLimitReached()).isFalse();
        assertThat(r.meta().durationMs()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void blobRoundTripsThroughBase64AndJavaBytes() {
        byte[] bytes = new byte[70_000];
        new java.util.Random(7).nextBytes(bytes);
        q(A, "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB)");
        q(A, "INSERT INTO b (data) VALUES (?)", Map.of("$blob", Base64.getEncoder().encodeToString(bytes)));
        q(A, "INSERT INTO b (data) VALUES (?)", (Object) bytes);
        SqlResult r = q(A, "SELECT data, typeof(data), length(data) FROM b ORDER BY id");
        for (List<Object> row : r.rows()) {
            assertThat(Base64.getDecoder().decode((String) row.get(0))).isEqualTo(bytes);
            assertThat(row.subList(1, 3)).containsExactly("blob", 70_000L);
        }
        assertThat(scalar(A, "SELECT typeof(?)", Map.of("$blob", ""))).isEqualTo("blob");
    }

    @Test
    void paramsBindEveryAcceptedJavaType() {
        SqlResult r = q(A, "SELECT ?, ?, ?, ?, ?, ?, ?, ?, typeof(?), ?3", true, false, 7, 8L,
                BigInteger.valueOf(Long.MAX_VALUE), new BigDecimal("2.25"), "x", null, 3.0f);
        assertThat(r.rows().getFirst()).containsExactly(1L, 0L, 7L, 8L, Long.MAX_VALUE, 2.25, "x", null, "real", 7L);
        assertThat(r.columns()).hasSize(10);
        assertThat(r.columns()).extracting(SqlResult.Column::type).containsOnly("");
    }

    @Test
    void parameterCountMustMatchPlaceholders() {
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT ?, ?", 1));
        assertThat(e.getMessage()).contains("2 placeholders").contains("1 param was");
        assertThat(e.field()).isEqualTo("params");
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT 1", 1));
        assertThat(q(A, "SELECT ?2, ?1", "a", "b").rows()).containsExactly(List.of("b", "a"));
        assertThat(q(A, "SELECT :x, @y, $z", 1, 2, 3).rows()).containsExactly(List.of(1L, 2L, 3L));
    }

    @Test
    void changesCountOnlyTheStatementsOwnModifications() {
        q(A, "CREATE TABLE t (a INTEGER)");
        assertThat(q(A, "INSERT INTO t VALUES (1), (2), (3)").meta().changes()).isEqualTo(3);
        // sqlite3_changes() keeps 3 here; the result must not.
        assertThat(q(A, "SELECT * FROM t").meta().changes()).isZero();
        assertThat(q(A, "CREATE TABLE u (b)").meta().changes()).isZero();
        assertThat(q(A, "UPDATE t SET a = a + 1 WHERE a > 1").meta().changes()).isEqualTo(2);
        assertThat(q(A, "DELETE FROM t WHERE a = 99").meta().changes()).isZero();
        SqlResult ret = q(A, "DELETE FROM t RETURNING a");
        assertThat(ret.meta().changes()).isEqualTo(3);
        assertThat(ret.rows()).hasSize(3);
        assertThat(ret.columns()).containsExactly(new SqlResult.Column("a", "INTEGER"));
        assertThat(q(A, "INSERT INTO t VALUES (1)").rows()).isEmpty();
    }

    @Test
    void emptyResultStillNamesItsColumns() {
        q(A, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)");
        SqlResult r = q(A, "SELECT id, title FROM t WHERE 0");
        assertThat(r.rows()).isEmpty();
        assertThat(r.columns()).containsExactly(new SqlResult.Column("id", "INTEGER"),
                new SqlResult.Column("title", "TEXT"));
    }

    @Test
    void resultsAreCutAtOneThousandRowsOnlyWhenMoreExisted() {
        q(A, "CREATE TABLE n (x INTEGER)");
        q(A, "INSERT INTO n WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1001)"
                + " SELECT x FROM c");
        SqlResult exact = q(A, "SELECT x FROM n WHERE x <= 1000");
        assertThat(exact.rows()).hasSize(1000);
        assertThat(exact.meta().rowsReadLimitReached()).isFalse();
        SqlResult over = q(A, "SELECT x FROM n ORDER BY x");
        assertThat(over.rows()).hasSize(1000);
        assertThat(over.rows().getLast()).containsExactly(1000L);
        assertThat(over.meta().rowsReadLimitReached()).isTrue();
        SqlResult returning = q(A, "UPDATE n SET x = x + 0 RETURNING x");
        assertThat(returning.rows()).hasSize(1000);
        assertThat(returning.meta().rowsReadLimitReached()).isTrue();
        assertThat(returning.meta().changes()).as("RETURNING applies every change").isEqualTo(1001);
    }

    @Test
    void invalidSqlAndExecutionErrorsAre400WithSqlitesMessage() {
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT * FROM nonexistent_table")).getMessage())
                .isEqualTo("no such table: nonexistent_table");
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELEC 1")).getMessage())
                .isEqualTo("near \"SELEC\": syntax error");
        q(A, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
        q(A, "INSERT INTO kv VALUES ('a', 'x')");
        var dup = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO kv VALUES ('a', 'y')"));
        assertThat(dup.getMessage()).isEqualTo("UNIQUE constraint failed: kv.k");
        assertThat(dup.field()).isEqualTo("sql");
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO kv VALUES ('b', NULL)")).getMessage())
                .isEqualTo("NOT NULL constraint failed: kv.v");
    }

    @Test
    void foreignKeysAreEnforced() {
        q(A, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
        q(A, "CREATE TABLE c (pid INTEGER REFERENCES p(id))");
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO c VALUES (5)")).getMessage())
                .isEqualTo("FOREIGN KEY constraint failed");
        assertThat(scalar(A, "PRAGMA foreign_keys")).isEqualTo(1L);
    }

    @Test
    void introspectionPragmasAndUserVersionWork() {
        q(A, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        q(A, "CREATE INDEX t_name ON t(name)");
        assertThat(q(A, "PRAGMA table_info(t)").rows()).hasSize(2);
        assertThat(q(A, "PRAGMA index_list(t)").rows()).hasSize(1);
        assertThat(q(A, "SELECT name FROM pragma_table_info('t') ORDER BY cid").rows())
                .containsExactly(List.of("id"), List.of("name"));
        q(A, "PRAGMA user_version = 3");
        assertThat(scalar(A, "PRAGMA user_version")).isEqualTo(3L);
        assertThat(scalar(A, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(scalar(A, "PRAGMA synchronous")).as("FULL").isEqualTo(2L);
        assertThat(scalar(A, "PRAGMA trusted_schema")).isEqualTo(0L);
    }

    @Test
    void plainVacuumWorksAndFtsIsAvailable() {
        q(A, "CREATE VIRTUAL TABLE docs USING fts5(body)");
        q(A, "INSERT INTO docs VALUES ('the quick brown fox'), ('lazy dog')");
        assertThat(q(A, "SELECT body FROM docs WHERE docs MATCH 'fox'").rows()).containsExactly(List.of(
                "the quick brown fox"));
        q(A, "VACUUM");
        assertThat(scalar(A, "SELECT count(*) FROM docs")).isEqualTo(2L);
        fails(ErrorKind.FORBIDDEN, () -> q(A, "ATTACH ':memory:' AS m"));
    }

    @Test
    void acknowledgedWritesAreInTheFileForAnotherReader() throws Exception {
        q(A, "CREATE TABLE t (a TEXT)");
        q(A, "INSERT INTO t VALUES ('durable')");
        List<String> seen = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + sql().databaseFile(A));
             ResultSet rs = raw.createStatement().executeQuery("SELECT a FROM t")) {
            while (rs.next()) {
                seen.add(rs.getString(1));
            }
        }
        assertThat(seen).containsExactly("durable");
        sql().close();
        try (AxonSql again = new AxonSql(dir.resolve("sql"), limits())) {
            assertThat(again.query(Caller.SYSTEM, A, "SELECT a FROM t", null).rows()).containsExactly(List.of("durable"));
        }
    }
}
