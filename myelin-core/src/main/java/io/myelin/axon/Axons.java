package io.myelin.axon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
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

    private Axons(Storage storage, AxonIndex index, AxonLimits limits) {
        this.storage = storage;
        this.index = index;
        this.limits = limits;
    }

    /** Loads every live axon into a new index. */
    public static Axons load(Storage storage, AxonLimits limits) {
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
        return new Axons(storage, index, limits);
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

    public Axon create(String name, Map<String, String> metadata) {
        validateName(name);
        Map<String, String> md = metadata == null ? Map.of() : metadata;
        validateMetadata(md);
        String id = AxonIds.next();
        String mdJson = toJson(md);
        return WriteCall.run(storage.writer(), new WriteCall<Axon>() {
            private LiveAxon created;

            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
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
                result(new Axon(id, name, md, g.nowMs()));
            }

            @Override
            protected void onCommitted() {
                index.put(created);
                listCounts.invalidate();
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

    /** Replaces the metadata; {@code null} leaves it unchanged, an empty map clears it. */
    public Axon updateMetadata(String id, Map<String, String> metadata) {
        LiveAxon live = index.require(id);
        if (metadata == null) {
            return get(id);
        }
        validateMetadata(metadata);
        String mdJson = toJson(metadata);
        WriteCall.run(storage.writer(), new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                if (live.deleted()) throw MyelinException.notFound("axon", id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE axons SET metadata = ? WHERE pk = ?")) {
                    ps.setString(1, mdJson);
                    ps.setLong(2, live.pk());
                    ps.executeUpdate();
                }
                result(Boolean.TRUE);
            }

            @Override
            protected void onCommitted() {
                listCounts.invalidate();
            }
        });
        return get(id);
    }

    /** Deletes an axon: at once invisible everywhere; its events are removed in the background. */
    public Axon delete(String id) {
        LiveAxon live = index.require(id);
        Axon before = get(id);
        WriteCall.run(storage.writer(), new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                if (live.deleted()) throw MyelinException.notFound("axon", id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE axons SET deleted_at_ms = ? WHERE pk = ?")) {
                    ps.setLong(1, g.nowMs());
                    ps.setLong(2, live.pk());
                    ps.executeUpdate();
                }
                result(Boolean.TRUE);
            }

            @Override
            protected void onCommitted() {
                index.remove(live);
                listCounts.invalidate();
                for (Consumer<LiveAxon> l : deletionListeners) {
                    l.accept(live);
                }
            }
        });
        return before;
    }

    public AxonPage list(AxonFilter filter) {
        if (filter.limit() < 1 || filter.limit() > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit() + ", got " + filter.limit());
        }
        validateFilter(filter);
        return storage.reads().read(c -> new AxonListQuery(filter, index.size(), listCounts).run(c, this::row));
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

    static List<Axon> collect(ResultSet rs, RowMapper mapper) throws SQLException {
        List<Axon> out = new ArrayList<>();
        while (rs.next()) {
            out.add(mapper.map(rs));
        }
        return out;
    }
}
