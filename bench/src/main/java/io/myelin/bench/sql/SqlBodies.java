package io.myelin.bench.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema and request bodies of the SQL workloads. Every axon gets the same table, {@code kv},
 * keyed by an integer primary key, so a point read is one B-tree lookup.
 */
public final class SqlBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String CREATE_TABLE = "CREATE TABLE kv (id INTEGER PRIMARY KEY, value TEXT NOT NULL)";
    public static final String POINT_SELECT = "SELECT value FROM kv WHERE id = ?";
    public static final String INSERT = "INSERT INTO kv (value) VALUES (?)";
    /** Rows {@code [from, to)} in one statement, generated server-side rather than sent. */
    static final String FILL = "INSERT INTO kv (id, value) WITH RECURSIVE c(x) AS"
            + " (SELECT ? UNION ALL SELECT x + 1 FROM c WHERE x + 1 < ?) SELECT x, 'value-' || x FROM c";
    /** Every value {@link #FILL} writes starts with this, so a reply without it found no row. */
    public static final String VALUE_PREFIX = "value-";

    /** One {@code {sql, params}} object: a {@code sql/query} body, or one entry of a batch. */
    public record Statement(String sql, List<Object> params) {}

    private SqlBodies() {}

    public static Statement fill(int from, int to) {
        if (from < 0 || to <= from) throw new IllegalArgumentException("fill needs 0 <= from < to, got " + from + ", " + to);
        return new Statement(FILL, List.of(from, to));
    }

    public static byte[] query(Statement statement) {
        return json(statement);
    }

    public static byte[] batch(List<Statement> statements) {
        return json(Map.of("statements", statements));
    }

    public static byte[] pointSelect(long id) {
        return query(new Statement(POINT_SELECT, List.of(id)));
    }

    /** {@code statements} single-row inserts of a {@code valueBytes}-character value, as one batch. */
    public static byte[] insertBatch(int statements, int valueBytes) {
        Statement one = new Statement(INSERT, List.of("v".repeat(valueBytes)));
        List<Statement> all = new ArrayList<>(statements);
        for (int i = 0; i < statements; i++) all.add(one);
        return batch(all);
    }

    /** Creates {@code kv} and fills ids {@code [0, rows)} in one transaction. */
    public static byte[] tableWithRows(int rows) {
        return batch(List.of(new Statement(CREATE_TABLE, List.of()), fill(0, rows)));
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
