package io.myelin.storage.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.axon.LiveAxon;
import io.myelin.broker.BrokerState;
import io.myelin.broker.BrokerStateStore;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link BrokerStateStore} over the {@code broker_state} table: reads on the read pool, saves through the writer as
 * {@link KeyedWrite}s scoped to the axon (a retried save over HTTP gets the first answer). The version check and
 * the write are one statement in the writer's transaction, so two saves over the same version cannot both land.
 */
final class SqliteBrokerStateStore implements BrokerStateStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Stored answers of keyed saves: the state as saved. */
    private static final ResultCodec<BrokerState> CODEC = new ResultCodec<>() {
        @Override
        public byte[] encode(BrokerState s) {
            ObjectNode o = JSON.createObjectNode();
            o.put("version", s.version()).put("cursor", s.cursor()).put("turn_cursor", s.turnCursor())
                    .put("turn_id", s.turnId()).put("turn_trigger", s.turnTrigger()).put("session_id", s.sessionId())
                    .put("context", s.context());
            return o.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public BrokerState decode(byte[] stored) {
            try {
                JsonNode o = JSON.readTree(stored);
                return new BrokerState(o.get("version").asLong(), o.get("cursor").asLong(),
                        o.get("turn_cursor").asLong(), text(o, "turn_id"), o.get("turn_trigger").asLong(),
                        text(o, "session_id"), o.get("context").asText());
            } catch (IOException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "stored broker state is unreadable: " + e.getMessage(), e);
            }
        }

        private static String text(JsonNode o, String field) {
            JsonNode v = o.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    };

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;

    SqliteBrokerStateStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys) {
        this.writer = writer;
        this.reads = reads;
        this.keys = keys;
    }

    @Override
    public BrokerState load(LiveAxon axon) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version, cursor, turn_cursor, turn_id, turn_trigger,"
                    + " session_id, context FROM broker_state WHERE axon = ?")) {
                ps.setLong(1, axon.pk());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return BrokerState.INITIAL;
                    }
                    return new BrokerState(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6), rs.getString(7));
                }
            }
        });
    }

    @Override
    public BrokerState save(LiveAxon axon, BrokerState next, RequestKey key) {
        return saveQueued(axon, next, key).await();
    }

    @Override
    public QueuedWrite<BrokerState> saveQueued(LiveAxon axon, BrokerState next, RequestKey key) {
        return WriteCall.queue(writer, new KeyedWrite<BrokerState>(keys, axon.id(), key, CODEC) {
            @Override
            protected BrokerState applyOnce(Connection c, WriteGroup g) throws SQLException {
                if (axon.deleted()) {
                    throw MyelinException.notFound("axon", axon.id());
                }
                long stored = storedVersion(c);
                if (stored != next.version()) {
                    throw new MyelinException(ErrorKind.CONFLICT, "version", "the broker state of " + axon.id()
                            + " is at version " + stored + ", not " + next.version()
                            + ": another broker saved it meanwhile").retry(false, null);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO broker_state(axon, version, cursor,"
                        + " turn_cursor, turn_id, turn_trigger, session_id, context, updated_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(axon) DO UPDATE SET version = excluded.version,"
                        + " cursor = excluded.cursor, turn_cursor = excluded.turn_cursor, turn_id = excluded.turn_id,"
                        + " turn_trigger = excluded.turn_trigger, session_id = excluded.session_id,"
                        + " context = excluded.context, updated_ms = excluded.updated_ms")) {
                    ps.setLong(1, axon.pk());
                    ps.setLong(2, next.version() + 1);
                    ps.setLong(3, next.cursor());
                    ps.setLong(4, next.turnCursor());
                    ps.setString(5, next.turnId());
                    ps.setLong(6, next.turnTrigger());
                    ps.setString(7, next.sessionId());
                    ps.setString(8, next.context());
                    ps.setLong(9, g.nowMs());
                    ps.executeUpdate();
                }
                return new BrokerState(next.version() + 1, next.cursor(), next.turnCursor(), next.turnId(),
                        next.turnTrigger(), next.sessionId(), next.context());
            }

            private long storedVersion(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT version FROM broker_state WHERE axon = ?")) {
                    ps.setLong(1, axon.pk());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0;
                    }
                }
            }
        });
    }
}
