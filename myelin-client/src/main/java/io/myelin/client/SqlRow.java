package io.myelin.client;

import java.util.Base64;
import java.util.List;

/**
 * One result row with access by column name or index, converting the JSON value the server sent.
 *
 * <pre>{@code
 * List<String> names = result.map(row -> row.getString("name"));
 * }</pre>
 *
 * @param columns the result's columns
 * @param values  the row's values: {@code null}, {@link Long}, {@link Double}, {@link String} or
 *                {@link Boolean}; BLOB values arrive as base64 strings (see {@link #getBytes})
 */
public record SqlRow(List<SqlColumn> columns, List<Object> values) {

    /** The raw value at a 0-based index. */
    public Object get(int index) {
        return values.get(index);
    }

    /** The raw value of the named column; throws {@link IllegalArgumentException} if there is no such column. */
    public Object get(String column) {
        return values.get(indexOf(column));
    }

    public String getString(String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    /** The value as a {@code Long}, or {@code null} for SQL NULL. */
    public Long getLong(String column) {
        Object v = get(column);
        if (v == null) {
            return null;
        }
        return v instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(Long.parseLong(v.toString()));
    }

    /** The value as a {@code Double}, or {@code null} for SQL NULL. */
    public Double getDouble(String column) {
        Object v = get(column);
        if (v == null) {
            return null;
        }
        return v instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(Double.parseDouble(v.toString()));
    }

    /** A BLOB column's bytes, decoded from the base64 text the server sends, or {@code null}. */
    public byte[] getBytes(String column) {
        Object v = get(column);
        return v == null ? null : Base64.getDecoder().decode(v.toString());
    }

    public boolean isNull(String column) {
        return get(column) == null;
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column named " + column + " in " + columns);
    }
}
