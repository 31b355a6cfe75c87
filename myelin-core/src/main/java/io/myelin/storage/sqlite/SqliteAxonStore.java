package io.myelin.storage.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.axon.Axon;
import io.myelin.auth.AxonVisibility;
import io.myelin.axon.AxonFilter;
import io.myelin.axon.AxonPage;
import io.myelin.axon.AxonStore;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link AxonStore} over the {@code axons} table. Keyed writes store their key in {@code request_keys} in the same
 * group transaction ({@link KeyedWrite}), scoped to the axon (or {@code ''} for create); a deleted axon keeps a
 * tombstone row so list cursors stay valid.
 */
final class SqliteAxonStore implements AxonStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    /** Stored results of keyed axon writes: the axon as the request answered it. */
    private static final ResultCodec<Axon> CODEC = new ResultCodec<>() {
        @Override
        public byte[] encode(Axon axon) {
            try {
                return JSON.writeValueAsBytes(axon);
            } catch (JsonProcessingException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "cannot encode axon: " + e.getMessage(), e);
            }
        }

        @Override
        public Axon decode(byte[] stored) {
            try {
                return JSON.readValue(stored, Axon.class);
            } catch (java.io.IOException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "stored axon result is unreadable: " + e.getMessage(), e);
            }
        }
    };

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;
    private final ListCounts listCounts = new ListCounts();

    SqliteAxonStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys) {
        this.writer = writer;
        this.reads = reads;
        this.keys = keys;
    }

    @Override
    public List<LiveAxon> loadLive() {
        return reads.read(c -> {
            List<LiveAxon> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT pk, id, last_seq FROM axons WHERE deleted_at_ms IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LiveAxon(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public Axon create(String id, String name, Map<String, String> metadata, RequestKey key, Consumer<LiveAxon> created) {
        String mdJson = toJson(metadata);
        return WriteCall.run(writer, new KeyedWrite<Axon>(keys, "", key, CODEC) {
            private LiveAxon live;

            @Override
            protected Axon applyOnce(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO axons(id, name, metadata, created_at_ms) VALUES (?, ?, ?, ?) RETURNING pk")) {
                    ps.setString(1, id);
                    ps.setString(2, name);
                    ps.setString(3, mdJson);
                    ps.setLong(4, g.nowMs());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        live = new LiveAxon(rs.getLong(1), id, 0);
                    }
                }
                return new Axon(id, name, metadata, g.nowMs());
            }

            @Override
            protected void onCommitted() {
                if (!replayed()) {
                    listCounts.invalidate();
                    created.accept(live);
                }
            }
        });
    }

    @Override
    public Axon updateMetadata(LiveAxon axon, Map<String, String> metadata, RequestKey key, Runnable changed) {
        String mdJson = toJson(metadata);
        return WriteCall.run(writer, new KeyedWrite<Axon>(keys, axon.id(), key, CODEC) {
            @Override
            protected Axon applyOnce(Connection c, WriteGroup g) throws SQLException {
                if (axon.deleted()) throw MyelinException.notFound("axon", axon.id());
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE axons SET metadata = ? WHERE pk = ? RETURNING id, name, metadata, created_at_ms")) {
                    ps.setString(1, mdJson);
                    ps.setLong(2, axon.pk());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return row(rs);
                    }
                }
            }

            @Override
            protected void onCommitted() {
                if (!replayed()) {
                    listCounts.invalidate();
                    changed.run();
                }
            }
        });
    }

    @Override
    public Axon delete(String id, LiveAxon axon, RequestKey key, Runnable deleted) {
        if (axon == null) {
            Axon earlier = key == null ? null : reads.read(c -> {
                KeyRecord known = RequestKeyTable.findOn(c, id, key.value());
                return known == null ? null : CODEC.decode(known.answerFor(key).body());
            });
            if (earlier == null) {
                throw MyelinException.notFound("axon", id);
            }
            return earlier;
        }
        return WriteCall.run(writer, new KeyedWrite<Axon>(keys, id, key, CODEC) {
            @Override
            protected Axon applyOnce(Connection c, WriteGroup g) throws SQLException {
                if (axon.deleted()) throw MyelinException.notFound("axon", id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE axons SET deleted_at_ms = ? WHERE pk = ?"
                        + " RETURNING id, name, metadata, created_at_ms")) {
                    ps.setLong(1, g.nowMs());
                    ps.setLong(2, axon.pk());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return row(rs);
                    }
                }
            }

            @Override
            protected void onCommitted() {
                if (!replayed()) {
                    listCounts.invalidate();
                    deleted.run();
                }
            }
        });
    }

    @Override
    public Axon get(LiveAxon axon) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, metadata, created_at_ms FROM axons WHERE pk = ? AND deleted_at_ms IS NULL")) {
                ps.setLong(1, axon.pk());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        });
    }

    @Override
    public AxonPage list(AxonFilter filter, AxonVisibility visible, long liveCount, long maxPageBytes,
                         MemoryBudget.Lease memory) {
        // Sorted, so that the same visibility is the same SQL argument and shares its cached count.
        String visibleIds = visible.all() ? null : idsJson(new TreeSet<>(visible.ids()));
        return reads.read(c -> new AxonListQuery(filter, visibleIds, liveCount, listCounts).run(c, SqliteAxonStore::row,
                maxPageBytes, memory));
    }

    private static String idsJson(TreeSet<String> ids) {
        try {
            return JSON.writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot encode axon ids: " + e.getMessage(), e);
        }
    }

    static Axon row(ResultSet rs) throws SQLException {
        return new Axon(rs.getString(1), rs.getString(2), fromJson(rs.getString(3)), rs.getLong(4));
    }

    private static String toJson(Map<String, String> md) {
        try {
            return JSON.writeValueAsString(md);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, "metadata", "cannot encode metadata: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> fromJson(String s) {
        try {
            return JSON.readValue(s, MAP);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "stored metadata is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Rows of the list query, mapped by the caller. */
    @FunctionalInterface
    interface RowMapper {
        Axon map(ResultSet rs) throws SQLException;
    }
}
