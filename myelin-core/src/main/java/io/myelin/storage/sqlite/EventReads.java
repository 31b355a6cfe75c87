package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.stream.Event;
import io.myelin.stream.EventStore;
import io.myelin.stream.Origin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads of stored events: ascending ranges for replay, descending pages for history. */
final class EventReads {
    private final ReadPool reads;

    EventReads(ReadPool reads) {
        this.reads = reads;
    }

    /**
     * Events with sequence greater than {@code after}, ascending: at most {@code maxEvents}, and no more rows once
     * {@code maxBytes} of encoded events have been read (at least one row is always returned if one exists), so a
     * page of large payloads cannot exhaust the heap.
     */
    List<Event> after(LiveAxon axon, long after, int maxEvents, long maxBytes) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event_type, origin, source, payload, ts FROM events WHERE axon = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, axon.pk());
                ps.setLong(2, after);
                ps.setInt(3, maxEvents);
                return collect(axon.id(), ps, maxBytes).events();
            }
        });
    }

    EventStore.HistorySlice before(LiveAxon axon, long before, int limit, long maxBytes) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event_type, origin, source, payload, ts FROM events WHERE axon = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                ps.setLong(1, axon.pk());
                ps.setLong(2, before);
                ps.setInt(3, limit + 1);
                Rows rows = collect(axon.id(), ps, maxBytes);
                boolean more = rows.events().size() > limit || rows.cut();
                List<Event> page = rows.events().size() > limit ? List.copyOf(rows.events().subList(0, limit)) : rows.events();
                long bytes = 0;
                for (Event e : page) {
                    bytes += e.jsonBytes();
                }
                return new EventStore.HistorySlice(page, more, bytes);
            }
        });
    }

    /** Rows read, and whether they stopped because the page was full rather than because the range ran out. */
    private record Rows(List<Event> events, boolean cut) {}

    /**
     * Reads rows until the statement is exhausted or the next row would take the encoded total past
     * {@code maxBytes} (the first row is always taken).
     */
    private static Rows collect(String axonId, PreparedStatement ps, long maxBytes) throws SQLException {
        List<Event> out = new ArrayList<>();
        long bytes = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Event e = new Event(axonId, rs.getLong(1), rs.getString(2), Origin.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getLong(6));
                bytes += e.jsonBytes();
                if (bytes > maxBytes && !out.isEmpty()) {
                    return new Rows(out, true);
                }
                out.add(e);
            }
        }
        return new Rows(out, false);
    }

    /** Axons deleted but whose events are not yet purged (a restart resumes their purge). */
    List<long[]> pendingPurges() {
        return reads.read((Connection c) -> {
            List<long[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pk, last_seq FROM axons WHERE deleted_at_ms IS NOT NULL AND purged = 0");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            return out;
        });
    }
}
