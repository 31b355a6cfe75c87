package io.myelin.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Removes one chunk of a deleted axon's events. Deleting in chunks keeps each group transaction short, so a large
 * purge never stalls publishers on other axons for long. The last chunk removes the axon's broker state, intents and
 * step journal and marks the tombstone purged. The axon's
 * idempotency keys stay until they expire, so a retried request that did succeed still gets its answer.
 */
final class PurgeOp implements WriteOp {
    static final long CHUNK = 5000;

    private final long axonPk;
    private final long upTo;
    private final long lastSeq;
    private final Runnable next;

    PurgeOp(long axonPk, long upTo, long lastSeq, Runnable next) {
        this.axonPk = axonPk;
        this.upTo = upTo;
        this.lastSeq = lastSeq;
        this.next = next;
    }

    @Override
    public int weight() {
        return (int) Math.min(CHUNK, Integer.MAX_VALUE);
    }

    @Override
    public void apply(Connection c, WriteGroup group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE axon = ? AND seq > ? AND seq <= ?")) {
            ps.setLong(1, axonPk);
            ps.setLong(2, upTo - CHUNK);
            ps.setLong(3, upTo);
            ps.executeUpdate();
        }
        if (upTo >= lastSeq) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal_chunks WHERE step IN"
                    + " (SELECT pk FROM journal_steps WHERE axon = ?)")) {
                ps.setLong(1, axonPk);
                ps.executeUpdate();
            }
            for (String table : new String[] {"broker_state", "intents", "journal_steps"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE axon = ?")) {
                    ps.setLong(1, axonPk);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE axons SET purged = 1 WHERE pk = ?")) {
                ps.setLong(1, axonPk);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void committed() {
        if (upTo < lastSeq) {
            next.run();
        }
    }

    @Override
    public void failed(RuntimeException cause) {
        // The tombstone stays unpurged; the next start picks the purge up again.
    }
}
