package io.myelin.storage.sqlite;

import io.myelin.stream.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Prepared statements of the append path, compiled once per writer connection instead of once per group.
 * Confined to the writer thread, like the connection they belong to.
 */
final class WriterStatements {
    /**
     * Rows per multi-row INSERT. One {@code step} for 16 rows instead of 16 halves the writer's cost per event
     * (measured: 5.1 → 2.4 µs per event for 1,000-event transactions); more rows per statement gain nothing.
     */
    static final int ROWS_PER_INSERT = 16;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT = "INSERT INTO events(axon, seq, event_type, origin, source, payload, ts) VALUES ";

    private Connection owner;
    PreparedStatement insertEvent;
    PreparedStatement insertEvents;
    PreparedStatement updateHead;

    WriterStatements on(Connection c) throws SQLException {
        if (owner != c) {
            owner = c;
            insertEvent = c.prepareStatement(INSERT + ROW);
            insertEvents = c.prepareStatement(INSERT + String.join(", ", java.util.Collections.nCopies(ROWS_PER_INSERT, ROW)));
            updateHead = c.prepareStatement("UPDATE axons SET last_seq = ? WHERE pk = ?");
        }
        return this;
    }

    /** Inserts {@code events} of one axon: full chunks through the multi-row statement, the rest row by row. */
    void insert(long axonPk, java.util.List<Event> events) throws SQLException {
        int i = 0;
        for (; events.size() - i >= ROWS_PER_INSERT; i += ROWS_PER_INSERT) {
            for (int r = 0; r < ROWS_PER_INSERT; r++) {
                bind(insertEvents, r * 7, axonPk, events.get(i + r));
            }
            insertEvents.executeUpdate();
        }
        for (; i < events.size(); i++) {
            bind(insertEvent, 0, axonPk, events.get(i));
            insertEvent.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int offset, long axonPk, Event e) throws SQLException {
        ps.setLong(offset + 1, axonPk);
        ps.setLong(offset + 2, e.sequence());
        ps.setString(offset + 3, e.eventType());
        ps.setString(offset + 4, e.origin().name());
        ps.setString(offset + 5, e.source());
        ps.setString(offset + 6, e.payload());
        ps.setLong(offset + 7, e.timestampMs());
    }
}
