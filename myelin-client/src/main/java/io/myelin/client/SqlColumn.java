package io.myelin.client;

/**
 * A result column.
 *
 * @param name the column name or alias
 * @param type the declared SQLite type ({@code TEXT}, {@code INTEGER}, {@code REAL}, {@code BLOB}) or empty
 */
public record SqlColumn(String name, String type) {
    /** A missing type reads as empty, like an expression's. */
    public SqlColumn {
        type = type == null ? "" : type;
    }
}
