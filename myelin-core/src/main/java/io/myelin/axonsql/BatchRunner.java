package io.myelin.axonsql;

import io.myelin.error.MyelinException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a batch as one transaction: {@code BEGIN IMMEDIATE}, each statement in order, {@code COMMIT}.
 *
 * <p>IMMEDIATE takes the write lock up front, so a batch never fails half way with "database is locked" on
 * its first write. On the first failing statement the whole transaction is rolled back and the remaining
 * statements are reported as not executed; the call still returns normally (HTTP 200), as the step results
 * are the documented way to learn about the failure. A statement that times out is such a failure too, and so is
 * the statement running when the whole batch passes {@code sql.batch-timeout}: each statement gets the smaller of
 * {@code sql.statement-timeout} and what is left of the batch's budget.
 *
 * <p>COMMIT can fail on its own (a deferred foreign key, a full disk). No step is to blame then, so the batch
 * is rolled back and the call fails as a whole with 400 (413 for a database at its cap, 507 for a full disk),
 * rather than report successes that were not kept. A storage failure (5xx, a full disk included) in any
 * statement also fails the whole call, after rolling back.
 */
final class BatchRunner {
    private final StatementRunner runner;
    private final SqlLimits limits;

    BatchRunner(StatementRunner runner, SqlLimits limits) {
        this.runner = runner;
        this.limits = limits;
    }

    /** @param allowance shared by all statements: the batch's answer as a whole is bounded */
    BatchResult run(AxonConnection c, List<PreparedSql> statements, ResultAllowance allowance) {
        long deadline = System.nanoTime() + limits.batchTimeout().toNanos();
        try {
            c.execInternal("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, false, limits, "statements", c.file());
        }
        List<BatchResult.Step> steps = new ArrayList<>(statements.size());
        try {
            for (int i = 0; i < statements.size(); i++) {
                try {
                    steps.add(BatchResult.Step.ok(runner.run(c, statements.get(i), deadline, allowance)));
                } catch (MyelinException e) {
                    if (e.kind().status() >= 500) {
                        throw e;
                    }
                    rollback(c);
                    steps.add(BatchResult.Step.failed("statement " + i + ": " + e.getMessage()));
                    for (int j = i + 1; j < statements.size(); j++) {
                        steps.add(BatchResult.Step.failed("not executed: statement " + i + " failed"));
                    }
                    return new BatchResult(steps);
                }
            }
            try {
                c.execInternal("COMMIT");
            } catch (SQLException e) {
                MyelinException cause = SqliteErrors.translate(e, false, limits, "statements", c.file());
                rollback(c);
                throw new MyelinException(cause.kind(), "statements", "batch rolled back: COMMIT failed: "
                        + cause.getMessage(), e);
            }
            return new BatchResult(steps);
        } catch (RuntimeException e) {
            rollback(c);
            throw e;
        }
    }

    /**
     * Rolls back if a transaction is still open. SQLite may already have rolled it back itself (after an
     * interrupt, or some I/O and full-disk errors), in which case ROLLBACK fails with "no transaction is
     * active" and there is nothing left to do.
     */
    private static void rollback(AxonConnection c) {
        c.expansion().forget();
        try {
            c.execInternal("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction is active
        }
    }
}
