package io.myelin.axonsql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One statement of a batch: SQL text with {@code ?} placeholders and the positional values bound to them.
 *
 * <p>{@code params} may be {@code null} (no parameters). It may hold {@code null} elements (SQL NULL), so it is
 * copied into an unmodifiable list that tolerates nulls rather than through {@link List#copyOf}.
 */
public record SqlStatement(String sql, List<Object> params) {
    public SqlStatement {
        params = params == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(params));
    }

    public SqlStatement(String sql) {
        this(sql, List.of());
    }
}
