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
 * Statements that SQLite would expand (views, CTEs, subqueries, generated columns, triggers) into something far
 * deeper or larger than any of their pieces are refused before SQLite compiles them, with a 400 that names the
 * limit and its setting; what stays within the limits runs. Each refused shape, compiled, would have overflowed the
 * native stack (killing this JVM) or compiled for minutes.
 */
@Timeout(120)
class AxonSqlExpansionLimitsTest extends SqlTestSupport {
    private static final String A = "axn_expansion";

    @Override
    SqlLimits limits() {
        return SqlLimits.builder().maxBatchStatements(2000).build();
    }

    @Test
    void aChainOfDeepCtesIsRefusedBeforeItIsCompiled() {
        // 98 CTEs of 990 levels each: 64 MiB of native stack, and minutes of compiling, if SQLite ever saw it.
        MyelinException e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, cteChain(98, 990)));
        assertThat(e.getMessage()).startsWith("statement too deeply nested once expanded")
                .contains("sql.max-expanded-depth = 2000");
        assertThat(e.field()).isEqualTo("sql");
        // Two of 900 levels stay within the default.
        assertThat(scalar(A, cteChain(2, 900))).isEqualTo(1L);
    }

    @Test
    void aChainOfViewsIsMeasuredWhereverItIsReadAndWhateverOrderItWasBuiltIn() {
        List<SqlStatement> views = new ArrayList<>();
        views.add(st("CREATE VIEW v0 AS SELECT 1 AS x"));
        for (int i = 1; i <= 10; i++) {
            views.add(st("CREATE VIEW v" + i + " AS SELECT " + "~".repeat(900) + "x AS x FROM v" + (i - 1)));
        }
        // Built bottom up, the view that would pass the limit is refused as it is created.
        BatchResult chain = sql().batch(Caller.SYSTEM, A, views);
        assertThat(chain.results().get(3).error().message()).startsWith("statement 3: statement too deeply nested")
                .contains("sql.max-expanded-depth = 2000");
        assertThat(sql().batch(Caller.SYSTEM, A, views.subList(0, 3)).results())
                .allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(scalar(A, "SELECT x FROM v2")).isEqualTo(1L);
        // Through another view or a subquery: the same; and a view or trigger naming it is refused as it is created.
        q(A, "CREATE VIEW v3 AS SELECT x FROM v2");
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT (SELECT " + "~".repeat(900) + "x FROM v3) + 1"));
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "CREATE VIEW top AS SELECT " + "~".repeat(900) + "x FROM v3"));
        // A chain built top first (each view names one that does not exist yet) is measured when it is read, also
        // by a trigger created before it.
        q(A, "CREATE TABLE t (x)");
        q(A, "CREATE TRIGGER reads AFTER INSERT ON t BEGIN SELECT x FROM w3; END");
        for (int i = 3; i > 0; i--) {
            q(A, "CREATE VIEW w" + i + " AS SELECT " + "~".repeat(900) + "x AS x FROM w" + (i - 1));
        }
        q(A, "CREATE VIEW w0 AS SELECT 1 AS x");
        assertThat(scalar(A, "SELECT x FROM w2")).isEqualTo(1L);
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT x FROM w3"));
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO t VALUES (1)")).getMessage())
                .contains("sql.max-expanded-depth");
        // Dropping expands nothing, so a view or trigger past the limit can always be removed.
        q(A, "DROP TRIGGER reads");
        q(A, "INSERT INTO t VALUES (1)");
        q(A, "DROP VIEW w3");
    }

    @Test
    void generatedColumnsThatReadEachOtherAreSummed() {
        StringBuilder table = new StringBuilder("CREATE TABLE g (a, c0 AS (a)");
        for (int i = 1; i <= 10; i++) {
            table.append(", c").append(i).append(" AS (").append("~".repeat(900)).append("c").append(i - 1).append(")");
        }
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, table + ")")).getMessage())
                .contains("sql.max-expanded-depth");
        q(A, "CREATE TABLE h (a, c0 AS (a), c1 AS (" + "~".repeat(900) + "c0))");
        q(A, "INSERT INTO h (a) VALUES (5)");
        q(A, "ALTER TABLE h ADD COLUMN c2 AS (" + "~".repeat(900) + "c1)");
        assertThat(scalar(A, "SELECT c2 FROM h")).isEqualTo(5L);
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "ALTER TABLE h ADD COLUMN c3 AS ("
                + "~".repeat(900) + "c2)")).getMessage()).contains("sql.max-expanded-depth");
    }

    @Test
    void compoundsThatCannotBeFlattenedCountPerTerm() {
        // Each INTERSECT view is a subquery of the next: 10 of 400 terms would need 7 MiB of native stack.
        List<SqlStatement> views = new ArrayList<>();
        for (int i = 10; i > 0; i--) {
            views.add(st("CREATE VIEW i" + i + " AS SELECT x FROM i" + (i - 1) + " INTERSECT SELECT 1".repeat(400)));
        }
        views.add(st("CREATE VIEW i0 AS SELECT 1 AS x"));
        assertThat(sql().batch(Caller.SYSTEM, A, views).results()).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(scalar(A, "SELECT x FROM i1")).isEqualTo(1L);
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT x FROM i10"));
    }

    @Test
    void viewsThatReadTheirPredecessorTwiceAreRefusedBySize() {
        // Built top first: each view, when created, names only views that do not exist yet.
        List<SqlStatement> views = new ArrayList<>();
        views.add(st("CREATE TABLE t (x)"));
        for (int i = 16; i > 0; i--) {
            views.add(st("CREATE VIEW j" + i + " AS SELECT a.x AS x FROM j" + (i - 1) + " a, j" + (i - 1) + " b"));
        }
        views.add(st("CREATE VIEW j0 AS SELECT x FROM t"));
        assertThat(sql().batch(Caller.SYSTEM, A, views).results()).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(scalar(A, "SELECT count(*) FROM j5")).isEqualTo(0L);
        // 2^16 expansions: minutes of compiling before SQLite's own join limit would stop it.
        MyelinException e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT count(*) FROM j16"));
        assertThat(e.getMessage()).startsWith("statement too large once expanded")
                .contains("sql.max-expanded-size = 10000");
    }

    @Test
    void everyTriggerAWriteMayFireCountsTowardsItsSize() {
        List<SqlStatement> setup = new ArrayList<>();
        setup.add(st("CREATE TABLE t (x)"));
        setup.add(st("CREATE TABLE audit (x)"));
        for (int i = 0; i < 40; i++) {
            setup.add(st("CREATE TRIGGER a" + i + " AFTER INSERT ON t BEGIN INSERT INTO audit SELECT new.x"
                    + " LIKE 'a'".repeat(900) + "; END"));
        }
        assertThat(sql().batch(Caller.SYSTEM, A, setup).results()).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(A, "INSERT INTO t VALUES (1)")).getMessage())
                .contains("sql.max-expanded-size");
        // EXPLAIN compiles the triggers too; reading the table fires nothing.
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "EXPLAIN INSERT INTO t VALUES (1)"));
        assertThat(scalar(A, "SELECT count(*) FROM t")).isEqualTo(0L);
        assertThat(scalar(A, "WITH n AS (SELECT 1) SELECT count(*) FROM t, n")).isEqualTo(0L);
    }

    @Test
    void ordinaryLargeStatementsStayFarBelowTheLimits() {
        q(A, "CREATE TABLE t (a, b, c)");
        String values = "(1, 'abc', 2.5), ".repeat(6000);
        assertThat(q(A, "INSERT INTO t VALUES " + values + "(1, 'abc', 2.5)").meta().changes()).isEqualTo(6001);
        q(A, "CREATE TABLE s (a, b, c)");
        StringBuilder report = new StringBuilder("SELECT ");
        for (int i = 0; i < 400; i++) {
            report.append("(SELECT count(*) FROM s WHERE a = ").append(i).append(" AND b LIKE 'a%' OR c > 2), ");
        }
        assertThat(q(A, report + "1").rows()).hasSize(1);
        assertThat(scalar(A, "SELECT 1" + " OR 0".repeat(998))).isEqualTo(1L);
    }

    /** {@code n} CTEs, each applying {@code m} bitwise NOTs to the previous one. */
    private static String cteChain(int n, int m) {
        StringBuilder sb = new StringBuilder("WITH c0 AS (SELECT 1 AS x)");
        for (int k = 1; k <= n; k++) {
            sb.append(", c").append(k).append(" AS (SELECT ").append("~".repeat(m)).append("x AS x FROM c").append(k - 1)
                    .append(")");
        }
        return sb.append(" SELECT x FROM c").append(n).toString();
    }
}
