package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SQLite limits that bound native recursion are applied on every connection: a statement exactly at a
 * limit runs, one step past it is a 400 that names the limit and its setting.
 */
@Timeout(60)
class AxonSqlComplexityLimitsTest extends SqlTestSupport {
    private static final String A = "axn_complexity";

    @Override
    SqlLimits limits() {
        return patient().maxLikePatternBytes(100).maxExpressionDepth(50).maxCompoundSelect(10)
                .maxTriggerDepth(5).maxBatchStatements(1000).build();
    }

    @Test
    void likeAndGlobPatternsAreLimitedInBytes() {
        String subject = "x".repeat(10_000);
        String atLimit = "%x".repeat(49) + "%y";
        assertThat(atLimit).hasSize(100);
        assertThat(scalar(A, "SELECT ? LIKE ?", subject, atLimit)).isEqualTo(0L);
        assertThat(scalar(A, "SELECT ? GLOB ?", subject, atLimit.replace('%', '*'))).isEqualTo(0L);
        assertThat(scalar(A, "SELECT like(?, ?)", "%" + "é".repeat(49) + "%", "é".repeat(60))).isEqualTo(1L);

        for (String sql : List.of("SELECT ? LIKE ?", "SELECT ? GLOB ?", "SELECT ? LIKE ? ESCAPE '!'")) {
            var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, sql, subject, atLimit + "x"));
            assertThat(e.getMessage()).startsWith("LIKE or GLOB pattern too complex")
                    .contains("at most 100 bytes").contains("sql.max-like-pattern-bytes = 100");
            assertThat(e.field()).isEqualTo("sql");
        }
        // Bytes, not characters: 51 two-byte letters are 102 bytes.
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT like(?, 'a')", "é".repeat(51)));
        // The pattern may come from the table too; the limit applies per call.
        q(A, "CREATE TABLE p (pat TEXT)");
        q(A, "INSERT INTO p VALUES (?), (?)", atLimit, atLimit + "x");
        var stored = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT 'x' LIKE pat FROM p"));
        assertThat(stored.getMessage()).contains("sql.max-like-pattern-bytes");
    }

    @Test
    void expressionDepthIsLimited() {
        assertThat(scalar(A, "SELECT 1" + "+1".repeat(49))).isEqualTo(50L);
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT 1" + "+1".repeat(50)));
        assertThat(e.getMessage()).startsWith("Expression tree is too large (maximum depth 50)")
                .contains("sql.max-expression-depth = 50");
        assertThat(e.field()).isEqualTo("sql");
        // In a batch the refusal fails the step, and the message is the same.
        BatchResult r = batch(A, st("SELECT 1"), st("SELECT 'a'" + " || 'a'".repeat(60)));
        assertThat(r.results().get(1).error().message()).contains("sql.max-expression-depth = 50");
    }

    @Test
    void nestedViewsAndCtesCountAgainstTheExpressionDepth() {
        List<SqlStatement> views = new ArrayList<>();
        views.add(st("CREATE VIEW v0 AS SELECT 1 AS x"));
        for (int i = 1; i < 50; i++) {
            views.add(st("CREATE VIEW v" + i + " AS SELECT x FROM v" + (i - 1)));
        }
        assertThat(sql().batch(Caller.SYSTEM, A, views).results()).allSatisfy(s -> assertThat(s.error()).isNull());
        // SQLite checks the nesting while it first works out a view's columns, and keeps them afterwards, so the
        // deeper view is read first here.
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT x FROM v49"));
        assertThat(e.getMessage()).startsWith("VIEWs and/or subqueries nested too deep")
                .contains("sql.max-expression-depth = 50");
        assertThat(scalar(A, "SELECT x FROM v48")).isEqualTo(1L);

        StringBuilder cte = new StringBuilder("WITH c0 AS (SELECT 1 AS x)");
        for (int i = 1; i < 50; i++) {
            cte.append(", c").append(i).append(" AS (SELECT x FROM c").append(i - 1).append(")");
        }
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, cte + " SELECT x FROM c49"));
    }

    @Test
    void compoundSelectTermsAreLimited() {
        assertThat(q(A, "SELECT 1" + " UNION ALL SELECT 1".repeat(9)).rows()).hasSize(10);
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT 1" + " UNION ALL SELECT 1".repeat(10)));
        assertThat(e.getMessage()).startsWith("too many terms in compound SELECT")
                .contains("sql.max-compound-select = 10");
    }

    @Test
    void triggerAndForeignKeyChainsAreLimited() {
        List<SqlStatement> setup = new ArrayList<>();
        for (int i = 0; i <= 6; i++) {
            setup.add(st("CREATE TABLE t" + i + " (x)"));
        }
        for (int i = 0; i < 6; i++) {
            setup.add(st("CREATE TRIGGER tr" + i + " AFTER INSERT ON t" + i + " BEGIN INSERT INTO t" + (i + 1)
                    + " VALUES (new.x); END"));
        }
        setup.add(st("CREATE TABLE f0 (id INTEGER PRIMARY KEY)"));
        for (int i = 1; i <= 6; i++) {
            setup.add(st("CREATE TABLE f" + i + " (id INTEGER PRIMARY KEY, p REFERENCES f" + (i - 1)
                    + " ON DELETE CASCADE)"));
        }
        assertThat(sql().batch(Caller.SYSTEM, A, setup).results()).allSatisfy(s -> assertThat(s.error()).isNull());

        assertThat(q(A, "INSERT INTO t1 VALUES (1)").meta().changes()).isEqualTo(1); // 5 triggers deep
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO t0 VALUES (1)"));
        assertThat(e.getMessage()).startsWith("triggers nested too deep").contains("sql.max-trigger-depth = 5");
        assertThat(scalar(A, "SELECT count(*) FROM t6")).isEqualTo(1L);

        q(A, "DELETE FROM f1");
        var fk = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "DELETE FROM f0"));
        assertThat(fk.getMessage()).contains("sql.max-trigger-depth = 5");
    }

    @Test
    void columnsAndFunctionArgumentsKeepSqlitesUsualDefaults() {
        String columns = "SELECT " + "1, ".repeat(AxonConnection.MAX_COLUMNS - 1);
        assertThat(q(A, columns + "1").columns()).hasSize(AxonConnection.MAX_COLUMNS);
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, columns + "1, 1"));
        assertThat(e.getMessage()).startsWith("too many columns in result set").contains("at most 2000");
        assertThat(scalar(A, "SELECT max(" + "1, ".repeat(126) + "2)")).isEqualTo(2L);
        var args = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT max(" + "1, ".repeat(127) + "2)"));
        assertThat(args.getMessage()).startsWith("too many arguments on function max")
                .contains("at most 127 arguments");
    }

    @Test
    void aStatementThatCompilesToTooManyOperationsIsA400() {
        // Each generated column adds the previous one to itself: 2^30 operations if nothing stopped it.
        StringBuilder table = new StringBuilder("CREATE TABLE g (a, c0 AS (a + a)");
        for (int i = 1; i < 30; i++) {
            table.append(", c").append(i).append(" AS (c").append(i - 1).append(" + c").append(i - 1).append(")");
        }
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, table + ")"));
        assertThat(e.getMessage()).startsWith("statement too complex").contains("1000000 operations");
        assertThat(scalar(A, "SELECT 41 + 1")).isEqualTo(42L);
        // A wide legitimate statement stays far below the bound.
        q(A, "CREATE TABLE t (a, b, c)");
        String values = "(1, 'abc', 2.5), ".repeat(6000);
        assertThat(q(A, "INSERT INTO t VALUES " + values + "(1, 'abc', 2.5)").meta().changes()).isEqualTo(6001);
    }

    @Test
    void theParsersOwnNestingLimitIsA400() {
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT " + "abs(".repeat(900) + "1" + ")".repeat(900)));
        assertThat(e.getMessage()).contains("Recursion limit");
    }

    @Test
    void defaultsRefuseThePatternOfTheIssue() {
        try (AxonSql defaults = new AxonSql(dir.resolve("defaults"), SqlLimits.defaults())) {
            MyelinException e = fails(ErrorKind.INVALID_REQUEST, () -> defaults.query(Caller.SYSTEM, A, "SELECT ? LIKE ?",
                    params("x".repeat(200_000), "%x".repeat(8000) + "%y")));
            assertThat(e.getMessage()).contains("sql.max-like-pattern-bytes = 1000");
            String atDefault = "%x".repeat(499) + "%y";
            assertThat(defaults.query(Caller.SYSTEM, A, "SELECT ? GLOB ?", params("x".repeat(200_000), atDefault.replace('%', '*')))
                    .rows().getFirst().getFirst()).isEqualTo(0L);
        }
    }
}
