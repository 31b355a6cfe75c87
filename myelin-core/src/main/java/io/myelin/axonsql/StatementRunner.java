package io.myelin.axonsql;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.text.JsonSize;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Executes one {@link PreparedSql} on an axon's connection and shapes the result.
 *
 * <ul>
 *   <li>Columns come from the prepared statement ({@code sqlite3_column_name}/{@code _decltype}), not from
 *       the rows, so an empty result still names its columns, and {@code type} is the declared type, or ""
 *       for expressions. (sqlite-jdbc's {@code getColumnTypeName} guesses a type from the first value.)</li>
 *   <li>Rows are read up to {@code maxRows + 1}: the extra row only proves that more existed, so exactly
 *       {@code maxRows} rows report {@code rows_read_limit_reached: false}. Rows also stop when the values
 *       returned so far would pass {@code maxResultBytes}; that too sets the flag, as more rows existed.</li>
 *   <li>{@code changes} is {@code sqlite3_changes()} only if the statement changed anything: that counter keeps
 *       its value across later SELECTs and DDL, so it is read only when {@code total_changes()} moved.</li>
 *   <li>With {@code RETURNING}, SQLite applies every change on the first step, so stopping early at the row
 *       limit still applies them all, and {@code changes} counts them all.</li>
 * </ul>
 */
final class StatementRunner {
    private final SqlLimits limits;

    StatementRunner(SqlLimits limits) {
        this.limits = limits;
    }

    /**
     * @param readOnly run with {@code PRAGMA query_only} on: a statement SQLite would let write is refused with 403
     *                 before it changes anything ({@code sql:read})
     */
    SqlResult run(AxonConnection c, PreparedSql s, boolean readOnly, ResultAllowance allowance) {
        if (!readOnly) {
            return run(c, s, null, allowance);
        }
        setQueryOnly(c, s, true);
        try {
            return run(c, s, null, true, allowance);
        } finally {
            setQueryOnly(c, s, false);
        }
    }

    private void setQueryOnly(AxonConnection c, PreparedSql s, boolean on) {
        try {
            c.execInternal(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, false, limits, s.sqlField(), c.file());
        }
    }

    /** One statement of a batch (see the next method). */
    SqlResult run(AxonConnection c, PreparedSql s, Long batchDeadline, ResultAllowance allowance) {
        return run(c, s, batchDeadline, false, allowance);
    }

    /**
     * @param batchDeadline {@link System#nanoTime()} by which the enclosing batch must end, or null: the statement
     *                      gets the smaller of {@code sql.statement-timeout} and what is left of the batch
     */
    private SqlResult run(AxonConnection c, PreparedSql s, Long batchDeadline, boolean readOnly,
                          ResultAllowance allowance) {
        long started = System.nanoTime();
        DB db = c.jdbc().getDatabase();
        boolean vacuum = s.kind() == StatementGuard.Kind.VACUUM;
        long budget = limits.statementTimeout().toNanos();
        boolean batchBound = batchDeadline != null && batchDeadline - started < budget;
        if (batchBound) {
            budget = Math.max(0, batchDeadline - started);
        }
        c.arm(java.time.Duration.ofNanos(budget));
        try {
            if (vacuum) {
                c.setAttachedLimit(1); // VACUUM attaches its own scratch copy; nothing user-named is attached
            }
            ShadowTables.check(c, s.tokens(), s.sqlField());
            c.expansion().check(c, s);
            long before = db.total_changes();
            List<SqlResult.Column> columns;
            List<List<Object>> rows = new ArrayList<>();
            boolean truncated = false;
            try (PreparedStatement ps = c.jdbc().prepareStatement(s.sql())) {
                if (c.expired()) {
                    throw new SQLException("compiling the statement used up its time"); // nothing ran
                }
                bind(ps, s);
                columns = columns((CoreStatement) ps);
                if (ps.execute()) {
                    truncated = readRows(ps.getResultSet(), columns.size(), rows, allowance, s.kind().mayWrite());
                }
            }
            long after = db.total_changes();
            long changes = after == before ? 0 : db.changes();
            long ms = (System.nanoTime() - started) / 1_000_000;
            return new SqlResult(columns, rows, new SqlResult.Meta(changes, ms, truncated));
        } catch (SQLException e) {
            c.expansion().forget(); // SQLite rolled the statement back, and with it any schema change it made
            if (c.timedOut() && batchBound) {
                throw MyelinException.invalid(null, "batch timed out: it ran longer than "
                        + limits.batchTimeout().toMillis() + " ms (sql.batch-timeout); its changes were rolled back");
            }
            if (SqliteErrors.isOutOfMemory(e)) {
                throw tooComplex(s, e);
            }
            if (readOnly && SqliteErrors.isReadOnly(e)) {
                // Under query_only, SQLITE_READONLY comes from the statement, not the file: SQLite checks the flag
                // as the statement starts its write transaction, before anything could be written.
                throw new MyelinException(ErrorKind.FORBIDDEN, s.sqlField(), "this statement writes, and the key may"
                        + " only read on this axon (scope sql:read runs the statements SQLite reports read-only;"
                        + " sql:write runs any)", e);
            }
            throw SqliteErrors.translate(e, c.timedOut(), limits, s.sqlField(), c.file());
        } finally {
            c.disarm();
            if (vacuum) {
                try {
                    c.setAttachedLimit(0);
                } catch (SQLException e) {
                    throw SqliteErrors.translate(e, false, limits, s.sqlField(), c.file());
                }
            }
        }
    }

    /**
     * SQLite reports a compiled program that grows past {@code SQLITE_LIMIT_VDBE_OP} as out of memory, while it
     * prepares the statement or, for DDL, while the new schema is parsed as the statement runs. That is the size
     * of the caller's statement, so a 400; a real allocation failure on this thread looks the same to us, and the
     * connection stays usable either way.
     */
    private static MyelinException tooComplex(PreparedSql s, SQLException e) {
        return new MyelinException(ErrorKind.INVALID_REQUEST, s.sqlField(), "statement too complex: SQLite ran out of"
                + " memory for it; a compiled statement holds at most " + AxonConnection.MAX_PROGRAM_OPS + " operations,"
                + " counting the views, triggers and generated columns it expands", e);
    }

    private void bind(PreparedStatement ps, PreparedSql s) throws SQLException {
        int expected = ps.getParameterMetaData().getParameterCount();
        Object[] params = s.params();
        if (expected != params.length) {
            throw MyelinException.invalid(s.paramField(), "the statement has " + expected + " placeholder"
                    + (expected == 1 ? "" : "s") + " but " + params.length + " param" + (params.length == 1 ? " was" : "s were")
                    + " given");
        }
        for (int i = 0; i < params.length; i++) {
            int at = i + 1;
            switch (params[i]) {
                case null -> ps.setNull(at, java.sql.Types.NULL);
                case Long l -> ps.setLong(at, l);
                case Double d -> ps.setDouble(at, d);
                case String str -> ps.setString(at, str);
                case byte[] b -> ps.setBytes(at, b);
                default -> throw new IllegalStateException("unconverted parameter " + params[i].getClass());
            }
        }
    }

    private static List<SqlResult.Column> columns(CoreStatement st) throws SQLException {
        return st.pointer.safeRun((db, ptr) -> {
            int n = db.column_count(ptr);
            List<SqlResult.Column> cols = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String decl = db.column_decltype(ptr, i);
                cols.add(new SqlResult.Column(db.column_name(ptr, i), decl == null ? "" : decl));
            }
            return cols;
        });
    }

    /** Returns true when rows were left unread because of a limit. */
    private boolean readRows(ResultSet rs, int n, List<List<Object>> rows, ResultAllowance allowance,
                             boolean mayWrite) throws SQLException {
        try (rs) {
            while (rs.next()) {
                if (rows.size() >= limits.maxRows()) {
                    return true;
                }
                List<Object> row = new ArrayList<>(n);
                long rowBytes = 0;
                long encodedBytes = 2 + Math.max(0, n - 1); // [ ] and commas
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    rowBytes += storedSize(v);
                    encodedBytes += encodedSize(v);
                    row.add(encode(v));
                }
                if (rowBytes > limits.maxValueBytes()) {
                    throw MyelinException.tooLarge(null, "result row " + rows.size() + " is " + rowBytes
                            + " bytes; rows are limited to " + limits.maxValueBytes() + " bytes (sql.max-value-bytes)");
                }
                if (!allowance.admit(encodedBytes + 1, mayWrite)) {
                    return true;
                }
                rows.add(row);
            }
            return false;
        }
    }

    /** Bytes the value takes in the JSON answer (see {@link #encode}). */
    private static long encodedSize(Object v) {
        return switch (v) {
            case null -> 4;
            case String s -> JsonSize.string(s);
            case byte[] b -> JsonSize.base64(b.length);
            case Integer i -> JsonSize.number(i);
            case Long l -> JsonSize.number(l);
            case Double d -> Double.isFinite(d) ? JsonSize.number(d) : 4;
            default -> JsonSize.string(v.toString());
        };
    }

    /** The value as the wire carries it: INTEGER as Long, REAL as Double (null if not finite), BLOB as base64. */
    static Object encode(Object v) {
        return switch (v) {
            case null -> null;
            case Integer i -> i.longValue();
            case Double d -> Double.isFinite(d) ? d : null;
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            default -> v;
        };
    }

    /** Size as SQLite stores it: UTF-16 length is a lower bound of UTF-8 bytes, so limits never trip early. */
    private static long storedSize(Object v) {
        return switch (v) {
            case null -> 1;
            case String s -> s.length();
            case byte[] b -> b.length;
            default -> 8;
        };
    }
}
