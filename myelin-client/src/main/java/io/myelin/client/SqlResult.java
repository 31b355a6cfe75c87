package io.myelin.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The result of one SQL statement.
 *
 * <pre>{@code
 * SqlResult r = axon.sql().query("SELECT id, title FROM todo WHERE done = ?", 0);
 * record Todo(long id, String title) {}
 * List<Todo> todos = r.map(row -> new Todo(row.getLong("id"), row.getString("title")));
 * }</pre>
 *
 * @param columns the result columns (empty for statements that return no rows)
 * @param rows    the rows, each a list of values in column order (see {@link SqlRow} for the value types)
 * @param meta    execution details
 */
public record SqlResult(List<SqlColumn> columns, List<List<Object>> rows, SqlMeta meta) {
    /** Copies the lists so the record stays immutable; {@code null} lists become empty. */
    public SqlResult {
        columns = columns == null ? List.of() : List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows == null ? 0 : rows.size());
        for (List<Object> row : rows == null ? List.<List<Object>>of() : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(row))); // values may be null
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** The rows wrapped for access by column name. */
    public List<SqlRow> asRows() {
        List<SqlRow> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            out.add(new SqlRow(columns, row));
        }
        return out;
    }

    /** Maps every row with {@code mapper}, in order. */
    public <T> List<T> map(Function<SqlRow, T> mapper) {
        List<T> out = new ArrayList<>(rows.size());
        for (SqlRow row : asRows()) {
            out.add(mapper.apply(row));
        }
        return out;
    }
}
