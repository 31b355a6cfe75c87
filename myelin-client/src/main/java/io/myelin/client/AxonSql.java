package io.myelin.client;

import java.util.List;

/**
 * The axon's private SQLite database. Obtain it from {@link AxonHandle#sql()}.
 *
 * <pre>{@code
 * AxonSql sql = client.axon(id).sql();
 * sql.batch(List.of(
 *         SqlStatement.of("CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY, title TEXT, done INTEGER)"),
 *         SqlStatement.of("INSERT INTO todo (title, done) VALUES (?, ?)", "write docs", 0)));
 * SqlResult r = sql.query("SELECT id, title FROM todo WHERE done = ?", 0);
 * }</pre>
 *
 * <p>Threading: safe for concurrent use.
 */
public interface AxonSql {
    /**
     * Runs one statement with positional {@code ?} parameters.
     *
     * @throws MyelinApiException when the server rejects the statement (e.g. a syntax error: status 400)
     */
    SqlResult query(String sql, Object... params);

    /**
     * Runs the statements atomically in one transaction. A statement that fails does not throw: its step
     * carries the error, and the server has rolled back the whole batch.
     */
    SqlBatchResult batch(List<SqlStatement> statements);

    /**
     * {@link #batch(List)} at most once per {@code idempotencyKey}: repeating it with the same key returns the first
     * run's answer without running the statements again. If the server died while the first run was in progress,
     * the repeat fails with 409 ({@link ConflictException}): its outcome is unknown, and it is never run twice.
     */
    SqlBatchResult batch(List<SqlStatement> statements, String idempotencyKey);
}
