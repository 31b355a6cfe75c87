package io.myelin.storage.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.journal.JournalJson;
import io.myelin.journal.JournalLimits;
import io.myelin.journal.JournalRecord;
import io.myelin.journal.Recorded;
import io.myelin.journal.StepStatus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.function.Function;

/**
 * The writes of {@link SqliteJournalStore}, each decided on the step's row as it is inside the group transaction
 * (the writer runs one op at a time, so of two writers of one step the second sees what the first wrote). A retry
 * under the same request key answers what the first attempt answered and writes nothing.
 */
final class JournalWrites {
    private static final String ROW = "SELECT pk, status, result, attempt, chunk_count, bytes, recorded_at_ms"
            + " FROM journal_steps WHERE axon = ? AND step = ?";

    private JournalWrites() {}

    /** A stored answer as the JSON of its view. */
    static <T> ResultCodec<T> codec(Function<T, JsonNode> view, Function<JsonNode, T> read) {
        return new ResultCodec<>() {
            @Override
            public byte[] encode(T value) {
                return view.apply(value).toString().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public T decode(byte[] stored) {
                return read.apply(JournalJson.parse(new String(stored, StandardCharsets.UTF_8)));
            }
        };
    }

    static final ResultCodec<Recorded> RECORDED = codec(JournalJson::view, JournalJson::recorded);
    static final ResultCodec<JournalRecord> RECORD = codec(JournalJson::view, JournalJson::record);
    static final ResultCodec<Integer> COUNT = codec(IntNode::valueOf, JsonNode::asInt);

    /** A step's row as the write found it. */
    record Row(long pk, StepStatus status, String result, int attempt, int chunkCount, long bytes, long recordedAtMs) {
        JournalRecord record(String step) {
            return new JournalRecord(step, status, result == null ? null : JournalJson.parse(result), null,
                    chunkCount, attempt, recordedAtMs);
        }
    }

    /** {@code PUT /journal/{step}}: first writer wins. */
    static final class Put extends KeyedWrite<Recorded> {
        private final LiveAxon axon;
        private final String step;
        private final StepStatus status;
        private final JsonNode result;

        Put(LiveAxon axon, String step, StepStatus status, JsonNode result, RequestKey key, RequestKeyTable keys) {
            super(keys, axon.id(), key, RECORDED);
            this.axon = axon;
            this.step = step;
            this.status = status;
            this.result = result;
        }

        @Override
        protected Recorded applyOnce(Connection c, WriteGroup group) throws SQLException {
            Row row = row(c, axon, step);
            String text = JournalJson.text(result);
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (row == null) {
                insert(c, axon, step, status, text, 0, bytes, group.nowMs());
            } else if (row.status().sealed()) {
                return new Recorded(row.record(step), false);
            } else {
                // A stream never completed is no record: this writer's result is the first.
                deleteChunks(c, row.pk());
                try (PreparedStatement ps = c.prepareStatement("UPDATE journal_steps SET status = ?, result = ?,"
                        + " chunk_count = 0, bytes = ?, recorded_at_ms = ? WHERE pk = ?")) {
                    ps.setString(1, status.wire());
                    ps.setString(2, text);
                    ps.setLong(3, bytes);
                    ps.setLong(4, group.nowMs());
                    ps.setLong(5, row.pk());
                    ps.executeUpdate();
                }
            }
            return new Recorded(new JournalRecord(step, status, result, null, 0, row == null ? 0 : row.attempt(),
                    group.nowMs()), true);
        }
    }

    /** {@code POST /journal/{step}/chunks}. */
    static final class Append extends KeyedWrite<JournalRecord> {
        private final LiveAxon axon;
        private final String step;
        private final List<JsonNode> chunks;
        private final long chunkBytes;
        private final boolean restart;
        private final Integer attempt;
        private final JournalLimits limits;

        Append(LiveAxon axon, String step, List<JsonNode> chunks, long chunkBytes, boolean restart, Integer attempt,
               JournalLimits limits, RequestKey key, RequestKeyTable keys) {
            super(keys, axon.id(), key, RECORD);
            this.axon = axon;
            this.step = step;
            this.chunks = chunks;
            this.chunkBytes = chunkBytes;
            this.restart = restart;
            this.attempt = attempt;
            this.limits = limits;
        }

        @Override
        protected JournalRecord applyOnce(Connection c, WriteGroup group) throws SQLException {
            Row row = row(c, axon, step);
            long pk;
            int current;
            int count;
            long bytes;
            long since;
            if (row == null) {
                if (!restart) {
                    attemptGone(step, attempt);
                }
                pk = insert(c, axon, step, StepStatus.STREAMING, null, 1, 0, group.nowMs());
                current = 1;
                count = 0;
                bytes = 0;
                since = group.nowMs();
            } else if (row.status().sealed()) {
                throw conflict(step, "is " + row.status().wire() + ": its record stands and takes no more chunks",
                        row.record(step));
            } else if (restart) {
                deleteChunks(c, row.pk());
                pk = row.pk();
                current = row.attempt() + 1;
                count = 0;
                bytes = 0;
                since = group.nowMs();
            } else {
                sameAttempt(step, row, attempt);
                pk = row.pk();
                current = row.attempt();
                count = row.chunkCount();
                bytes = row.bytes();
                since = row.recordedAtMs();
            }
            if ((long) count + chunks.size() > limits.maxChunks()) {
                throw MyelinException.tooLarge("chunks", "step " + step + " would hold " + (count + chunks.size())
                        + " chunks, more than " + limits.maxChunks() + " (journal.max-chunks)");
            }
            if (bytes + chunkBytes > limits.maxResultBytes()) {
                throw MyelinException.tooLarge("chunks", "step " + step + " would hold " + (bytes + chunkBytes)
                        + " bytes of JSON, more than " + limits.maxResultBytes() + " (journal.max-result-bytes)");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO journal_chunks(step, idx, chunk) VALUES (?, ?, ?)")) {
                for (int i = 0; i < chunks.size(); i++) {
                    ps.setLong(1, pk);
                    ps.setInt(2, count + i);
                    ps.setString(3, JournalJson.text(chunks.get(i)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE journal_steps SET attempt = ?, chunk_count = ?,"
                    + " bytes = ?, recorded_at_ms = ? WHERE pk = ?")) {
                ps.setInt(1, current);
                ps.setInt(2, count + chunks.size());
                ps.setLong(3, bytes + chunkBytes);
                ps.setLong(4, since);
                ps.setLong(5, pk);
                ps.executeUpdate();
            }
            return new JournalRecord(step, StepStatus.STREAMING, null, null, count + chunks.size(), current, since);
        }
    }

    /** {@code POST /journal/{step}/complete}. */
    static final class Complete extends KeyedWrite<Recorded> {
        private final LiveAxon axon;
        private final String step;
        private final JsonNode result;
        private final long resultBytes;
        private final Integer attempt;
        private final JournalLimits limits;

        Complete(LiveAxon axon, String step, JsonNode result, long resultBytes, Integer attempt, JournalLimits limits,
                 RequestKey key, RequestKeyTable keys) {
            super(keys, axon.id(), key, RECORDED);
            this.axon = axon;
            this.step = step;
            this.result = result;
            this.resultBytes = resultBytes;
            this.attempt = attempt;
            this.limits = limits;
        }

        @Override
        protected Recorded applyOnce(Connection c, WriteGroup group) throws SQLException {
            Row row = row(c, axon, step);
            String text = result == null ? null : JournalJson.text(result);
            if (row == null) {
                attemptGone(step, attempt);
                insert(c, axon, step, StepStatus.COMPLETED, text, 0, resultBytes, group.nowMs());
                return new Recorded(new JournalRecord(step, StepStatus.COMPLETED, result, null, 0, 0, group.nowMs()),
                        true);
            }
            if (row.status().sealed()) {
                return new Recorded(row.record(step), false);
            }
            sameAttempt(step, row, attempt);
            if (row.bytes() + resultBytes > limits.maxResultBytes()) {
                throw MyelinException.tooLarge("result", "step " + step + " would hold " + (row.bytes() + resultBytes)
                        + " bytes of JSON with its chunks, more than " + limits.maxResultBytes()
                        + " (journal.max-result-bytes)");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE journal_steps SET status = ?, result = ?,"
                    + " bytes = ? WHERE pk = ?")) {
                ps.setString(1, StepStatus.COMPLETED.wire());
                ps.setString(2, text);
                ps.setLong(3, row.bytes() + resultBytes);
                ps.setLong(4, row.pk());
                ps.executeUpdate();
            }
            return new Recorded(new JournalRecord(step, StepStatus.COMPLETED, result, null, row.chunkCount(),
                    row.attempt(), row.recordedAtMs()), true);
        }
    }

    /** {@code DELETE /journal?prefix=} and {@code DELETE /journal/{step}}: how many steps went. */
    static final class Forget extends KeyedWrite<Integer> {
        private final LiveAxon axon;
        private final String match;
        private final boolean exact;

        Forget(LiveAxon axon, String match, boolean exact, RequestKey key, RequestKeyTable keys) {
            super(keys, axon.id(), key, COUNT);
            this.axon = axon;
            this.match = match;
            this.exact = exact;
        }

        @Override
        protected Integer applyOnce(Connection c, WriteGroup group) throws SQLException {
            gone(axon);
            // substr counts characters, as codePointCount does; "" matches every step.
            String where = exact ? " WHERE axon = ? AND step = ?" : " WHERE axon = ? AND substr(step, 1, ?) = ?";
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal_chunks WHERE step IN"
                    + " (SELECT pk FROM journal_steps" + where + ")")) {
                bindMatch(ps);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal_steps" + where)) {
                bindMatch(ps);
                return ps.executeUpdate();
            }
        }

        private void bindMatch(PreparedStatement ps) throws SQLException {
            ps.setLong(1, axon.pk());
            if (exact) {
                ps.setString(2, match);
            } else {
                ps.setInt(2, match.codePointCount(0, match.length()));
                ps.setString(3, match);
            }
        }
    }

    private static void gone(LiveAxon axon) {
        if (axon.deleted()) {
            throw MyelinException.notFound("axon", axon.id());
        }
    }

    private static Row row(Connection c, LiveAxon axon, String step) throws SQLException {
        gone(axon);
        try (PreparedStatement ps = c.prepareStatement(ROW)) {
            ps.setLong(1, axon.pk());
            ps.setString(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getLong(1), StepStatus.stored(rs.getString(2)), rs.getString(3),
                        rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getLong(7)) : null;
            }
        }
    }

    private static long insert(Connection c, LiveAxon axon, String step, StepStatus status, String result, int attempt,
                               long bytes, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO journal_steps(axon, step, status, result, attempt,"
                + " chunk_count, bytes, recorded_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING pk")) {
            ps.setLong(1, axon.pk());
            ps.setString(2, step);
            ps.setString(3, status.wire());
            if (result == null) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, result);
            }
            ps.setInt(5, attempt);
            ps.setLong(6, bytes);
            ps.setLong(7, nowMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void deleteChunks(Connection c, long stepPk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal_chunks WHERE step = ?")) {
            ps.setLong(1, stepPk);
            ps.executeUpdate();
        }
    }

    /** Refuses a writer that names an attempt of a step with no row: its attempt was forgotten. */
    private static void attemptGone(String step, Integer attempt) {
        if (attempt != null) {
            throw conflict(step, "has no stream attempt " + attempt + " (it was forgotten): start over with restart",
                    null);
        }
    }

    /** Refuses a writer whose attempt another one superseded (null: a writer that names none continues any). */
    private static void sameAttempt(String step, Row row, Integer attempt) {
        if (attempt != null && attempt != row.attempt()) {
            throw conflict(step, "is streaming attempt " + row.attempt() + ", not " + attempt
                    + ": another attempt restarted it", row.record(step));
        }
    }

    private static MyelinException conflict(String step, String what, JournalRecord current) {
        MyelinException e = new MyelinException(ErrorKind.CONFLICT, null, "journal step " + step + " " + what)
                .retry(false, null);
        return current == null ? e : e.attach("step", JournalJson.view(current));
    }
}
