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
        // The time limits are not under test here, nor the expanded size, which bounds time, not stack (a chain of
        // 1,000 triggers is larger than the default).
        return d.toBuilder().threadStackBytes(d.requiredStackBytes()).maxBatchStatements(3000).maxExpandedSize(40_000)
                .build();
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
                .hasMessageContaining("sql.max-expanded-depth 2000");
        // Lower limits need less stack; a longer LIKE pattern needs more.
        assertThat(d.toBuilder().maxExpandedDepth(1500).maxTriggerDepth(100).build().requiredStackBytes())
                .isLessThan(d.requiredStackBytes());
        assertThatThrownBy(() -> d.toBuilder().maxExpandedDepth(1003).build()).hasMessageContaining("sql.max-expanded-depth")
                .hasMessageContaining("sql.max-expression-depth");
        assertThatThrownBy(() -> d.toBuilder().maxExpandedSize(1999).build()).hasMessageContaining("sql.max-expanded-size");
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
        // FROM subqueries nested up to the expanded depth, each grouping (not flattened).
        String from = "SELECT 1 AS x";
        for (int i = 0; i < 240; i++) {
            from = "SELECT x FROM (" + from + ") GROUP BY x";
        }
        assertThat(scalar(A, from)).isEqualTo(1L);
        // The compound SELECT with the costliest terms, at the limit.
        assertThat(q(A, "SELECT 1" + " INTERSECT SELECT 1".repeat(l.maxCompoundSelect() - 1)).rows()).hasSize(1);
        // CTEs pasted into one another up to the expanded depth, with the costliest operators per level.
        assertThat(scalar(A, cteChain(2, "~".repeat(960) + "x"))).isEqualTo(1L);
        assertThat(scalar(A, cteChain(2, "x" + " BETWEEN 0 AND 2".repeat(480)))).isEqualTo(1L);
        assertThat(scalar(A, cteChain(2, "x" + " LIKE 'x'".repeat(960)))).isEqualTo(0L);
        // JSON path and document at SQLite's own nesting cap.
        assertThat(scalar(A, "SELECT length(json_set('{}', ?, 2))", "$" + ".a".repeat(999))).isEqualTo(5995L);
        assertThat(scalar(A, "SELECT json_valid(?)", "[".repeat(999) + "]".repeat(999))).isEqualTo(1L);
    }

    @Test
    void aTriggerChainReadingViewsPastedToTheExpandedDepthRunsOnTheRequiredStack() {
        SqlLimits l = limits();
        int triggers = l.maxTriggerDepth();
        List<SqlStatement> setup = new ArrayList<>();
        setup.add(st("CREATE VIEW w0 AS SELECT 1 AS x"));
        for (int i = 1; i <= 2; i++) {
            setup.add(st("CREATE VIEW w" + i + " AS SELECT " + "~".repeat(960) + "x AS x FROM w" + (i - 1)));
        }
        setup.add(st("CREATE TABLE sink (x)"));
        for (int i = 0; i <= triggers; i++) {
            setup.add(st("CREATE TABLE t" + i + " (x)"));
        }
        for (int i = 0; i < triggers - 1; i++) {
            setup.add(st("CREATE TRIGGER tr" + i + " AFTER INSERT ON t" + i + " BEGIN INSERT INTO t" + (i + 1)
                    + " VALUES (new.x); END"));
        }
        setup.add(st("CREATE TRIGGER last AFTER INSERT ON t" + (triggers - 1) + " BEGIN INSERT INTO sink SELECT x FROM w2;"
                + " END"));
        for (int from = 0; from < setup.size(); from += l.maxBatchStatements()) {
            BatchResult r = sql().batch(Caller.SYSTEM, A, setup.subList(from, Math.min(setup.size(), from + l.maxBatchStatements())));
            assertThat(r.results()).allSatisfy(s -> assertThat(s.error()).isNull());
        }
        q(A, "INSERT INTO t0 VALUES (1)");
        assertThat(scalar(A, "SELECT x FROM sink")).isEqualTo(1L);
    }

    /** {@code n} CTEs, each computing {@code expression} (of {@code x}) over the previous one. */
    private static String cteChain(int n, String expression) {
        StringBuilder sb = new StringBuilder("WITH c0 AS (SELECT 1 AS x)");
        for (int k = 1; k <= n; k++) {
            sb.append(", c").append(k).append(" AS (SELECT ").append(expression).append(" AS x FROM c").append(k - 1)
                    .append(")");
        }
        return sb.append(" SELECT x FROM c").append(n).toString();
    }
}
