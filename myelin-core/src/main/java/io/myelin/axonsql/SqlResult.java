package io.myelin.axonsql;

import java.util.List;

/**
 * The result of one statement, shaped like the wire's {@code SqlQueryResultView}: column metadata, rows as
 * positional arrays, and execution metadata. Component names become the wire names under snake_case
 * naming ({@code durationMs} is {@code duration_ms}).
 *
 * <p>Row values are {@link Long} (INTEGER), {@link Double} (REAL), {@link String} (TEXT, and BLOB encoded as
 * standard base64 with padding), or {@code null} (NULL, and non-finite REAL values, which JSON cannot carry).
 */
public record SqlResult(List<Column> columns, List<List<Object>> rows, Meta meta) {

    /**
     * A result column: its name (or alias) and its declared type exactly as SQLite reports it
     * ({@code sqlite3_column_decltype}), or the empty string when the column is an expression.
     */
    public record Column(String name, String type) {}

    /**
     * {@code changes}: rows modified by the statement itself (INSERT, UPDATE, DELETE), 0 for anything else.
     * {@code durationMs}: wall time spent executing the statement and reading its rows.
     * {@code rowsReadLimitReached}: true only when more rows existed than were returned.
     */
    public record Meta(long changes, long durationMs, boolean rowsReadLimitReached) {}
}
