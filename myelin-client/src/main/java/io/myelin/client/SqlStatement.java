package io.myelin.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement with {@code ?} placeholders and its positional parameters.
 *
 * @param sql    the statement text
 * @param params values for the placeholders, in order: {@code null}, strings, numbers, booleans, or
 *               {@code byte[]} for a BLOB (sent as {@code {"$blob": base64}})
 */
public record SqlStatement(String sql, List<Object> params) {
    public SqlStatement {
        Objects.requireNonNull(sql, "sql");
        // List.copyOf rejects nulls, but NULL is a legitimate SQL parameter.
        params = params == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(params));
    }

    public static SqlStatement of(String sql, Object... params) {
        return new SqlStatement(sql, params == null ? List.of() : Arrays.asList(params));
    }
}
