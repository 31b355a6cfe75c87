package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine over a fresh temp directory per test, plus short helpers. Its time budgets are far beyond what any
 * statement of a test needs even on a loaded machine, so that only a test of a timeout ever meets one, and such a
 * test sets its own short budget ({@link #withStatementTimeout}).
 */
abstract class SqlTestSupport {
    private static final Duration PATIENT = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private AxonSql sql;
    private final List<AxonSql> others = new ArrayList<>();

    /** The default limits with time budgets no test statement reaches by being slow. */
    static SqlLimits.Builder patient() {
        return SqlLimits.defaults().toBuilder().statementTimeout(PATIENT).batchTimeout(PATIENT).queueTimeout(PATIENT);
    }

    SqlLimits limits() {
        return patient().build();
    }

    /**
     * A second engine, over its own directory, with this class's limits but statements that time out after
     * {@code timeout}: for the tests of the timeout itself. Closed after the test.
     */
    AxonSql withStatementTimeout(Duration timeout) {
        AxonSql quick = new AxonSql(dir.resolve("quick-" + others.size()), limits().toBuilder().statementTimeout(timeout).build());
        others.add(quick);
        return quick;
    }

    AxonSql sql() {
        if (sql == null) {
            sql = new AxonSql(dir.resolve("sql"), limits());
        }
        return sql;
    }

    @AfterEach
    void closeEngine() {
        if (sql != null) {
            sql.close();
        }
        others.forEach(AxonSql::close);
    }

    SqlResult q(String axon, String text, Object... params) {
        return sql().query(Caller.SYSTEM, axon, text, params(params));
    }

    static List<Object> params(Object... params) {
        return new ArrayList<>(Arrays.asList(params));
    }

    static SqlStatement st(String text, Object... params) {
        return new SqlStatement(text, params(params));
    }

    BatchResult batch(String axon, SqlStatement... statements) {
        return sql().batch(Caller.SYSTEM, axon, List.of(statements));
    }

    /** Runs {@code r}, asserts it throws a MyelinException of {@code kind}, and returns it. */
    static MyelinException fails(ErrorKind kind, Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).as("expected MyelinException %s", kind).isInstanceOf(MyelinException.class);
        MyelinException e = (MyelinException) t;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    Object scalar(String axon, String text, Object... params) {
        return q(axon, text, params).rows().getFirst().getFirst();
    }
}
