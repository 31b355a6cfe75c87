package io.myelin.axon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.Idempotency;
import io.myelin.idempotency.KeyedWrite;
import io.myelin.idempotency.RequestKey;
import io.myelin.idempotency.ResultCodec;
import io.myelin.storage.Storage;
import io.myelin.storage.WriteCall;
import io.myelin.storage.WriteGroup;
import io.myelin.text.Utf8;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Axon lifecycle: create, read, replace metadata, delete, list. Writes go through the single writer; reads go to
 * the read pool; existence checks use the in-memory {@link AxonIndex}.
 *
 * <p>Delete marks the axon's row (a tombstone keeps old list cursors valid), drops it from the index, then tells
 * every registered deletion listener (the event log closes streams and purges events; the SQL store drops the
 * axon's database). Listeners run on the writer thread right after the commit and must be quick.
 */
public final class Axons {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private final Storage storage;
    private final AxonIndex index;
    private final AxonLimits limits;
    private final List<Consumer<LiveAxon>> deletionListeners = new CopyOnWriteArrayList<>();
    private final ListCounts listCounts = new ListCounts();
    private final Idempotency idempotency;
    /** Stored results of keyed axon writes: the axon as the request answered it. */
    private static final ResultCodec<Axon> AXON_CODEC = new ResultCodec<>() {
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

    private Axons(Storage storage, AxonIndex index, AxonLimits limits, Idempotency idempotency) {
        this.storage = storage;
        this.index = index;
        this.limits = limits;
        this.idempotency = idempotency;
    }

    /** Loads every live axon into a new index. */
    public static Axons load(Storage storage, AxonLimits limits, Idempotency idempotency) {
        AxonIndex index = new AxonIndex();
        storage.reads().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pk, id, last_seq FROM axons WHERE deleted_at_ms IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    index.put(new LiveAxon(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return null;
        });
        return new Axons(storage, index, limits, idempotency);
    }

    public AxonIndex index() {
        return index;
    }

    public AxonLimits limits() {
        return limits;
    }

    /** Registers a callback run (on the writer thread) after an axon's deletion is durable. */
    public void onDelete(Consumer<LiveAxon> listener) {
        deletionListeners.add(listener);
    }

    /**
     * Creates an axon.
     *
     * @param key the client's retry identity, or null; with a key, a repeat returns the axon created the first time
     */
    public Axon create(String name, Map<String, String> metadata, RequestKey key) {
        validateName(name);
        Map<String, String> md = metadata == null ? Map.of() : metadata;
        validateMetadata(md);
        String id = AxonIds.next();
        String mdJson = toJson(md);
        return WriteCall.run(storage.writer(), new KeyedWrite<Axon>(idempotency, "", key, AXON_CODEC) {
            private LiveAxon created;

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
                        created = new LiveAxon(rs.getLong(1), id, 0);
                    }
                }
                return new Axon(id, name, md, g.nowMs());
            }

            @Override
            protected void onCommitted() {
                if (!replayed()) {
                    index.put(created);
                    listCounts.invalidate();
                }
            }
        });
    }

    public Axon get(String id) {
        LiveAxon live = index.require(id);
        Axon axon = storage.reads().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, metadata, created_at_ms FROM axons WHERE pk = ? AND deleted_at_ms IS NULL")) {
                ps.setLong(1, live.pk());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        });
        if (axon == null) {
            throw MyelinException.notFound("axon", id);
        }
        return axon;
    }

    /**
     * Replaces the metadata; {@code null} leaves it unchanged, an empty map clears it. Returns the axon as it is
     * after the change.
     *
     * @param key the client's retry identity, or null; with a key, a repeat returns the first answer unchanged
     */
    public Axon updateMetadata(String id, Map<String, String> metadata, RequestKey key) {
        LiveAxon live = index.require(id);
        if (metadata == null) {
            return get(id);
        }
        validateMetadata(metadata);
        String mdJson = toJson(metadata);
        return WriteCall.run(storage.writer(), new KeyedWrite<Axon>(idempotency, id, key, AXON_CODEC) {
            @Override
            protected Axon applyOnce(Connection c, WriteGroup g) throws SQLException {
                if (live.deleted()) throw MyelinException.notFound("axon", id);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE axons SET metadata = ? WHERE pk = ? RETURNING id, name, metadata, created_at_ms")) {
                    ps.setString(1, mdJson);
                    ps.setLong(2, live.pk());
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
                }
            }
        });
    }

    /**
     * Deletes an axon: at once invisible everywhere; its events are removed in the background. Returns the axon as
     * it was.
     *
     * @param key the client's retry identity, or null; with a key, a repeat after the deletion returns the first
     *            answer instead of 404
     */
    public Axon delete(String id, RequestKey key) {
        LiveAxon live = index.find(id);
        if (live == null) {
            Axon earlier = key == null ? null : idempotency.storedResult(id, key, AXON_CODEC);
            if (earlier != null) {
                return earlier;
            }
            throw MyelinException.notFound("axon", id);
        }
        return WriteCall.run(storage.writer(), new KeyedWrite<Axon>(idempotency, id, key, AXON_CODEC) {
            @Override
            protected Axon applyOnce(Connection c, WriteGroup g) throws SQLException {
                if (live.deleted()) throw MyelinException.notFound("axon", id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE axons SET deleted_at_ms = ? WHERE pk = ?"
                        + " RETURNING id, name, metadata, created_at_ms")) {
                    ps.setLong(1, g.nowMs());
                    ps.setLong(2, live.pk());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return row(rs);
                    }
                }
            }

            @Override
            protected void onCommitted() {
                if (replayed()) {
                    return;
                }
                index.remove(live);
                listCounts.invalidate();
                for (Consumer<LiveAxon> l : deletionListeners) {
                    l.accept(live);
                }
            }
        });
    }

    /** A page of axons; one that would pass {@code limits.max-page-bytes} once encoded ends early with has_more. */
    public AxonPage list(AxonFilter filter) {
        return list(filter, MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #list(AxonFilter)} with the page held in {@code memory} until the caller has written it.
     *
     * @throws MyelinException 503 (retry shortly) when the server's budget for answers held in memory is spent
     */
    public AxonPage list(AxonFilter filter, MemoryBudget.Lease memory) {
        if (filter.limit() < 1 || filter.limit() > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit() + ", got " + filter.limit());
        }
        validateFilter(filter);
        return storage.reads().read(c -> new AxonListQuery(filter, index.size(), listCounts)
                .run(c, this::row, limits.maxPageBytes(), memory));
    }

    private Axon row(ResultSet rs) throws SQLException {
        return new Axon(rs.getString(1), rs.getString(2), fromJson(rs.getString(3)), rs.getLong(4));
    }

    private void validateName(String name) {
        if (name == null) {
            return;
        }
        if (name.length() > limits.maxNameChars()) {
            throw MyelinException.invalid("name", "name is " + name.length() + " characters; the limit is " + limits.maxNameChars());
        }
        Utf8.checkedLength(name, "name");
    }

    private void validateMetadata(Map<String, String> md) {
        if (md.size() > limits.maxMetadataKeys()) {
            throw MyelinException.invalid("metadata", "metadata has " + md.size() + " keys; the limit is " + limits.maxMetadataKeys());
        }
        for (Map.Entry<String, String> e : md.entrySet()) {
            String k = e.getKey();
            MetadataKeys.check(k, limits.maxMetadataKeyChars(), "metadata");
            if (e.getValue() == null) {
                throw MyelinException.invalid("metadata." + k, "metadata values must be strings, got null");
            }
            if (e.getValue().length() > limits.maxMetadataValueChars()) {
                throw MyelinException.invalid("metadata." + k, "metadata value is " + e.getValue().length()
                        + " characters; the limit is " + limits.maxMetadataValueChars());
            }
            Utf8.checkedLength(e.getValue(), "metadata." + k);
        }
    }

    /** Filter text must be valid Unicode and filter keys follow the stored-key rule, each named as sent. */
    private void validateFilter(AxonFilter f) {
        for (String[] text : new String[][] {{"id", f.id()}, {"name", f.namePrefix()}, {"search", f.search()},
                {"starting_after", f.startingAfter()}}) {
            if (text[1] != null) {
                Utf8.checkedLength(text[1], text[0]);
            }
        }
        if (f.metadataEquals() != null) {
            for (Map.Entry<String, String> e : f.metadataEquals().entrySet()) {
                String field = "metadata[" + e.getKey() + "]";
                MetadataKeys.check(e.getKey(), limits.maxMetadataKeyChars(), field);
                Utf8.checkedLength(e.getValue(), field);
            }
        }
        if (f.metadataIn() != null) {
            for (Map.Entry<String, List<String>> e : f.metadataIn().entrySet()) {
                String field = "metadata[" + e.getKey() + "][in]";
                MetadataKeys.check(e.getKey(), limits.maxMetadataKeyChars(), field);
                for (String v : e.getValue()) {
                    Utf8.checkedLength(v, field);
                }
            }
        }
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
