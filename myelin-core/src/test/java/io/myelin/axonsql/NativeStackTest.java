package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.Caller;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack given to SQL threads holds the deepest statement the limits admit. The deepest shapes run here on
 * lane threads whose stack is exactly {@link SqlLimits#requiredStackBytes()}, no margin: if the model behind
 * it underestimated any of them, SQLite would overflow the native stack and this test JVM would die.
 */
@Timeout(120)
class NativeStackTest extends SqlTestSupport {
    private static final String A = "axn_stack";

    @Override
    SqlLimits limits() {
        SqlLimits d = patient().build();
        return d.toBuilder().threadStackBytes(d.requiredStackBytes()).maxBatchStatements(3000).build();
    }

    @Test
    void theDefaultStackIsAtLeastFourTimesTheRequirementAtTheDefaultLimits() {
        SqlLimits d = SqlLimits.defaults();
        assertThat(d.threadStackBytes()).isEqualTo(64L << 20);
        assertThat(d.threadStackBytes()).isGreaterThanOrEqualTo(4 * d.requiredStackBytes());
        // Half the default, as the server test runs it, still holds the requirement twice.
        assertThat(d.threadStackBytes() / 2).isGreaterThanOrEqualTo(2 * d.requiredStackBytes());
    }

    @Test
    void aStackBelowTheRequirementOrALimitAboveSqlitesIsRefused() {
        SqlLimits d = SqlLimits.defaults();
        assertThatThrownBy(() -> d.toBuilder().threadStackBytes(d.requiredStackBytes() - 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sql.thread-stack-size")
                .hasMessageContaining("sql.max-expression-depth 1000");
        // Lower limits need less stack; a longer LIKE pattern needs more.
        assertThat(d.toBuilder().maxExpressionDepth(100).maxTriggerDepth(100).build().requiredStackBytes())
                .isLessThan(d.requiredStackBytes());
        assertThat(d.toBuilder().maxLikePatternBytes(50_000).build().requiredStackBytes())
                .isGreaterThan(50_000 * NativeStack.PER_LIKE_PATTERN_BYTE);
        assertThatThrownBy(() -> d.toBuilder().maxExpressionDepth(1001).build()).hasMessageContaining("sql.max-expression-depth")
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> d.toBuilder().maxLikePatternBytes(50_001).build()).hasMessageContaining("50000");
        assertThatThrownBy(() -> d.toBuilder().maxCompoundSelect(0).build()).hasMessageContaining("sql.max-compound-select");
        assertThatThrownBy(() -> d.toBuilder().maxTriggerDepth(1001).build()).hasMessageContaining("sql.max-trigger-depth");
    }

    @Test
    void theDeepestShapesRunOnExactlyTheRequiredStack() {
        SqlLimits l = limits();
        // LIKE and GLOB: a pattern of wildcard groups up to the limit recurses once per group.
        String subject = "x".repeat(200_000);
        String pattern = "%x".repeat(l.maxLikePatternBytes() / 2 - 1) + "%y";
        assertThat(scalar(A, "SELECT ? LIKE ?", subject, pattern)).isEqualTo(0L);
        assertThat(scalar(A, "SELECT ? GLOB ?", subject, pattern.replace('%', '*'))).isEqualTo(0L);
        // The costliest expression per level, at the depth limit.
        assertThat(scalar(A, "SELECT 1" + " BETWEEN 0 AND 2".repeat(l.maxExpressionDepth() - 2))).isEqualTo(1L);
        // Window functions nested in subqueries, as deep as SQLite's parser goes.
        assertThat(scalar(A, "SELECT sum(1) OVER (ORDER BY " + "(SELECT sum(1) OVER (ORDER BY ".repeat(177) + "1"
                + "))".repeat(177) + ")")).isEqualTo(1L);
        // FROM subqueries nested as deep as the parser allows, each grouping (not flattened).
        String from = "SELECT 1 AS x";
        for (int i = 0; i < 400; i++) {
            from = "SELECT x FROM (" + from + ") GROUP BY x";
        }
        assertThat(scalar(A, from)).isEqualTo(1L);
        // The compound SELECT with the costliest terms, at the limit.
        assertThat(q(A, "SELECT 1" + " INTERSECT SELECT 1".repeat(l.maxCompoundSelect() - 1)).rows()).hasSize(1);
        // JSON path and document at SQLite's own nesting cap.
        assertThat(scalar(A, "SELECT length(json_set('{}', ?, 2))", "$" + ".a".repeat(999))).isEqualTo(5995L);
        assertThat(scalar(A, "SELECT json_valid(?)", "[".repeat(999) + "]".repeat(999))).isEqualTo(1L);
    }

    @Test
    void aTriggerChainReadingNestedCompoundViewsRunsOnTheRequiredStack() {
        SqlLimits l = limits();
        int views = l.maxExpressionDepth() - 2;
        int triggers = l.maxTriggerDepth();
        List<SqlStatement> setup = new ArrayList<>();
        setup.add(st("CREATE TABLE base (x)"));
        setup.add(st("INSERT INTO base VALUES (1)"));
        setup.add(st("CREATE VIEW v0 AS SELECT x FROM base" + " UNION ALL SELECT 2".repeat(l.maxCompoundSelect() - 1)));
        for (int i = 1; i < views; i++) {
            setup.add(st("CREATE VIEW v" + i + " AS SELECT x FROM v" + (i - 1) + " UNION ALL SELECT 2"));
        }
        setup.add(st("CREATE TABLE sink (x)"));
        for (int i = 0; i <= triggers; i++) {
            setup.add(st("CREATE TABLE t" + i + " (x)"));
        }
        for (int i = 0; i < triggers - 1; i++) {
            setup.add(st("CREATE TRIGGER tr" + i + " AFTER INSERT ON t" + i + " BEGIN INSERT INTO t" + (i + 1)
                    + " VALUES (new.x); END"));
        }
        setup.add(st("CREATE TRIGGER last AFTER INSERT ON t" + (triggers - 1) + " BEGIN INSERT INTO sink SELECT x FROM v"
                + (views - 1) + "; END"));
        for (int from = 0; from < setup.size(); from += l.maxBatchStatements()) {
            BatchResult r = sql().batch(Caller.SYSTEM, A, setup.subList(from, Math.min(setup.size(), from + l.maxBatchStatements())));
            assertThat(r.results()).allSatisfy(s -> assertThat(s.error()).isNull());
        }
        q(A, "INSERT INTO t0 VALUES (1)");
        assertThat(scalar(A, "SELECT count(*) FROM sink")).isEqualTo((long) l.maxCompoundSelect() + views - 1);
    }
}
