package io.myelin.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Prepared statements of the append path, compiled once per writer connection instead of once per group.
 * Confined to the writer thread, like the connection they belong to.
 */
final class WriterStatements {
    private Connection owner;
    PreparedStatement insertEvent;
    PreparedStatement updateHead;
    PreparedStatement findKey;
    PreparedStatement insertKey;

    WriterStatements on(Connection c) throws SQLException {
        if (owner != c) {
            owner = c;
            insertEvent = c.prepareStatement(
                    "INSERT INTO events(axon, seq, event_type, origin, source, payload, ts) VALUES (?, ?, ?, ?, ?, ?, ?)");
            updateHead = c.prepareStatement("UPDATE axons SET last_seq = ? WHERE pk = ?");
            findKey = c.prepareStatement("SELECT first_seq, count, ts, request_hash FROM idempotency_keys WHERE axon = ? AND key = ?");
            insertKey = c.prepareStatement(
                    "INSERT INTO idempotency_keys(axon, key, first_seq, count, ts, created_ms, request_hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
        }
        return this;
    }
}
