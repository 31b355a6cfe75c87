package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.storage.ReadPool;
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
     * {@code maxBytes} of payload have been read (at least one row is always returned if one exists), so a page of
     * large payloads cannot exhaust the heap.
     */
    List<Event> after(LiveAxon axon, long after, int maxEvents, long maxBytes) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event_type, origin, source, payload, ts FROM events WHERE axon = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, axon.pk());
                ps.setLong(2, after);
                ps.setInt(3, maxEvents);
                return collect(axon.id(), ps, maxBytes);
            }
        });
    }

    /** Up to {@code limit} events with sequence below {@code before}, newest first. */
    List<Event> before(LiveAxon axon, long before, int limit) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event_type, origin, source, payload, ts FROM events WHERE axon = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                ps.setLong(1, axon.pk());
                ps.setLong(2, before);
                ps.setInt(3, limit);
                return collect(axon.id(), ps, Long.MAX_VALUE);
            }
        });
    }

    private static List<Event> collect(String axonId, PreparedStatement ps, long maxBytes) throws SQLException {
        List<Event> out = new ArrayList<>();
        long bytes = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (bytes < maxBytes && rs.next()) {
                String payload = rs.getString(5);
                bytes += payload.length() + 64L;
                out.add(new Event(axonId, rs.getLong(1), rs.getString(2), Origin.valueOf(rs.getString(3)),
                        rs.getString(4), payload, rs.getLong(6)));
            }
        }
        return out;
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
