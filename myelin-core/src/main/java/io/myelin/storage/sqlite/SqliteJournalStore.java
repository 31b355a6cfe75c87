package io.myelin.storage.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.journal.JournalJson;
import io.myelin.journal.JournalLimits;
import io.myelin.journal.JournalPage;
import io.myelin.journal.JournalRecord;
import io.myelin.journal.JournalStore;
import io.myelin.journal.Recorded;
import io.myelin.journal.StepStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link JournalStore} over the {@code journal_steps} and {@code journal_chunks} tables of {@code myelin.db}: writes
 * are {@link JournalWrites} ops on the group-commit writer, reads run on the {@link ReadPool}. A deleted axon's steps
 * are unreachable at once (every call starts from a live axon) and removed with its last purge chunk.
 */
final class SqliteJournalStore implements JournalStore {
    private static final String COLUMNS = "pk, step, status, result, attempt, chunk_count, recorded_at_ms";

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;

    SqliteJournalStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys) {
        this.writer = writer;
        this.reads = reads;
        this.keys = keys;
    }

    @Override
    public Recorded record(LiveAxon axon, String step, StepStatus status, JsonNode result, RequestKey key) {
        return WriteCall.run(writer, new JournalWrites.Put(axon, step, status, result, key, keys));
    }

    @Override
    public JournalRecord find(LiveAxon axon, String step) {
        return reads.read(c -> {
            long pk;
            JournalRecord head;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM journal_steps WHERE axon = ? AND step = ?")) {
                ps.setLong(1, axon.pk());
                ps.setString(2, step);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    pk = rs.getLong(1);
                    head = record(rs);
                }
            }
            List<JsonNode> chunks = new ArrayList<>(head.chunkCount());
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chunk FROM journal_chunks WHERE step = ? ORDER BY idx")) {
                ps.setLong(1, pk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        chunks.add(JournalJson.parse(rs.getString(1)));
                    }
                }
            }
            return new JournalRecord(head.step(), head.status(), head.result(), chunks, chunks.size(),
                    head.attempt(), head.recordedAtMs());
        });
    }

    @Override
    public JournalPage list(LiveAxon axon, String prefix, String startingAfter, int limit, long maxPageBytes,
                            MemoryBudget.Lease memory) {
        return reads.read(c -> {
            long after = 0;
            if (startingAfter != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pk FROM journal_steps WHERE axon = ? AND step = ?")) {
                    ps.setLong(1, axon.pk());
                    ps.setString(2, startingAfter);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw MyelinException.invalid("starting_after", "unknown cursor: the journal of "
                                    + axon.id() + " has no step '" + startingAfter + "'");
                        }
                        after = rs.getLong(1);
                    }
                }
            }
            List<JournalRecord> rows = new ArrayList<>();
            boolean more = false;
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", length(result) FROM journal_steps"
                    + " WHERE axon = ? AND pk > ? AND substr(step, 1, ?) = ? ORDER BY pk LIMIT ?")) {
                ps.setLong(1, axon.pk());
                ps.setLong(2, after);
                ps.setInt(3, prefix.codePointCount(0, prefix.length()));
                ps.setString(4, prefix);
                ps.setInt(5, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long size = rs.getLong(8) + 2L * rs.getString(2).length() + 128;
                        if (rows.size() == limit || (!rows.isEmpty() && bytes + size > maxPageBytes)) {
                            more = true;
                            break;
                        }
                        rows.add(record(rs));
                        bytes += size;
                    }
                }
            }
            memory.grow(bytes);
            return new JournalPage(rows, more);
        });
    }

    @Override
    public JournalRecord append(LiveAxon axon, String step, List<JsonNode> chunks, long chunkBytes, boolean restart,
                                Integer attempt, JournalLimits limits, RequestKey key) {
        return WriteCall.run(writer, new JournalWrites.Append(axon, step, chunks, chunkBytes, restart, attempt,
                limits, key, keys));
    }

    @Override
    public Recorded complete(LiveAxon axon, String step, JsonNode result, long resultBytes, Integer attempt,
                             JournalLimits limits, RequestKey key) {
        return WriteCall.run(writer, new JournalWrites.Complete(axon, step, result, resultBytes, attempt, limits,
                key, keys));
    }

    @Override
    public int forget(LiveAxon axon, String prefix, RequestKey key) {
        return WriteCall.run(writer, new JournalWrites.Forget(axon, prefix, false, key, keys));
    }

    @Override
    public boolean forgetStep(LiveAxon axon, String step, RequestKey key) {
        return WriteCall.run(writer, new JournalWrites.Forget(axon, step, true, key, keys)) > 0;
    }

    /** A step (without chunks) from a row of {@link #COLUMNS}. */
    private static JournalRecord record(ResultSet rs) throws SQLException {
        String result = rs.getString(4);
        return new JournalRecord(rs.getString(2), StepStatus.stored(rs.getString(3)),
                result == null ? null : JournalJson.parse(result), null, rs.getInt(6), rs.getInt(5), rs.getLong(7));
    }
}
