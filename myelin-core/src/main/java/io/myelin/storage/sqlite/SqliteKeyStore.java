package io.myelin.storage.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.auth.ApiKey;
import io.myelin.auth.KeyPage;
import io.myelin.auth.KeyStore;
import io.myelin.auth.ScopeName;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link KeyStore} over the {@code api_keys} table (hashes only): scopes and axon ids as JSON arrays, a revoked key
 * kept with its {@code revoked_at_ms}.
 */
final class SqliteKeyStore implements KeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, name, scopes, axon_ids, created_ms, expires_at_ms, revoked_at_ms,"
            + " previous_expires_at_ms, bootstrap, hash, previous_hash";

    private final GroupCommitWriter writer;
    private final ReadPool reads;

    SqliteKeyStore(GroupCommitWriter writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    @Override
    public List<Stored> loadLive() {
        return reads.read(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM api_keys WHERE revoked_at_ms IS NULL ORDER BY pk");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(key(rs), rs.getString(10), rs.getString(11)));
                }
            }
            return out;
        });
    }

    @Override
    public void insert(ApiKey key, String hash, Runnable committed) {
        write(committed, c -> insertRow(c, key, hash));
    }

    @Override
    public void replaceBootstrap(ApiKey key, String hash, Runnable committed) {
        write(committed, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM api_keys WHERE bootstrap = 1")) {
                del.executeUpdate();
            }
            insertRow(c, key, hash);
            return true;
        });
    }

    @Override
    public boolean rotate(String id, String newHash, long previousUntilMs, Runnable committed) {
        return write(committed, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET previous_hash = hash,"
                    + " previous_expires_at_ms = ?, hash = ? WHERE id = ? AND revoked_at_ms IS NULL")) {
                ps.setLong(1, previousUntilMs);
                ps.setString(2, newHash);
                ps.setString(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean revoke(String id, long atMs, Runnable committed) {
        return write(committed, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at_ms = ?, previous_hash = NULL,"
                    + " previous_expires_at_ms = NULL WHERE id = ? AND revoked_at_ms IS NULL")) {
                ps.setLong(1, atMs);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public ApiKey find(String id) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? key(rs) : null;
                }
            }
        });
    }

    @Override
    public KeyPage list(String startingAfter, int limit, long maxPageBytes, MemoryBudget.Lease memory) {
        return reads.read(c -> {
            long after = startingAfter == null ? 0 : cursorKey(c, startingAfter);
            List<ApiKey> rows = new ArrayList<>();
            boolean cut = false;
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", length(name) + length(scopes)"
                    + " + coalesce(length(axon_ids), 0) FROM api_keys WHERE pk > ? ORDER BY pk LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // The stored JSON is about as long as its rendering; the fixed part covers ids and times.
                        long size = 256 + rs.getLong(12);
                        if (rows.size() < limit && bytes + size > maxPageBytes && !rows.isEmpty()) {
                            cut = true;
                            break;
                        }
                        rows.add(key(rs));
                        if (rows.size() <= limit) {
                            bytes += size;
                        }
                    }
                }
            }
            boolean hasMore = cut || rows.size() > limit;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
            }
            memory.grow(bytes);
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM api_keys");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            return new KeyPage(rows, hasMore, total);
        });
    }

    private static long cursorKey(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM api_keys WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw MyelinException.invalid("starting_after", "unknown cursor: no key has id '" + id + "'");
                }
                return rs.getLong(1);
            }
        }
    }

    @FunctionalInterface
    private interface Change {
        boolean apply(Connection c) throws SQLException;
    }

    /** Runs {@code change} in the writer; {@code committed} runs once it is durable, if it changed a row. */
    private boolean write(Runnable committed, Change change) {
        return WriteCall.run(writer, new WriteCall<Boolean>() {
            private boolean changed;

            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                changed = change.apply(c);
                result(changed);
            }

            @Override
            protected void onCommitted() {
                if (changed) {
                    committed.run();
                }
            }
        });
    }

    private static boolean insertRow(Connection c, ApiKey key, String hash) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO api_keys(id, hash, name, scopes, axon_ids,"
                + " created_ms, expires_at_ms, bootstrap) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setString(1, key.id());
            ins.setString(2, hash);
            ins.setString(3, key.name());
            List<String> names = new ArrayList<>();
            key.scopes().forEach(s -> names.add(s.wireName()));
            ins.setString(4, json(names));
            if (key.axonIds() == null) {
                ins.setNull(5, Types.VARCHAR);
            } else {
                ins.setString(5, json(key.axonIds()));
            }
            ins.setLong(6, key.createdAtMs());
            if (key.expiresAtMs() == null) {
                ins.setNull(7, Types.INTEGER);
            } else {
                ins.setLong(7, key.expiresAtMs());
            }
            ins.setInt(8, key.bootstrap() ? 1 : 0);
            ins.executeUpdate();
        }
        return true;
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Set<ScopeName> scopes = EnumSet.noneOf(ScopeName.class);
        for (String name : strings(rs.getString(3))) {
            scopes.add(ScopeName.parse("scopes", name));
        }
        String axons = rs.getString(4);
        return new ApiKey(rs.getString(1), rs.getString(2), scopes, axons == null ? null : new LinkedHashSet<>(strings(axons)),
                nullableLong(rs, 6), rs.getLong(5), nullableLong(rs, 7), nullableLong(rs, 8), rs.getInt(9) == 1);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static List<String> strings(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("api_keys holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) throws SQLException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
