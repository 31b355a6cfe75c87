package io.myelin.storage.sqlite;

import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.Reply;
import io.myelin.idempotency.RequestKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQL over {@code request_keys}, the one table of retry identities for every keyed write. Writes run on the writer
 * thread, inside its group transaction, through statements prepared once per writer connection; {@link #findOn}
 * serves read-pool connections.
 *
 * <p>Within a group, a key stored by an earlier op is not yet committed but must already count: {@link #lookup}
 * consults the group's scratch first, and {@link #record} remembers what it stores there.
 *
 * <p>Threading: the cached statements are confined to the writer thread, like its connection.
 */
final class RequestKeyTable {
    private static final String FIND = "SELECT fingerprint, owner, status, result FROM request_keys WHERE scope = ? AND key = ?";

    private Connection owner;
    private PreparedStatement find;
    private PreparedStatement insert;
    private PreparedStatement complete;
    private PreparedStatement delete;

    private RequestKeyTable on(Connection c) throws SQLException {
        if (owner != c) {
            owner = c;
            find = c.prepareStatement(FIND);
            insert = c.prepareStatement("INSERT INTO request_keys(scope, key, fingerprint, owner, status, result, created_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
            complete = c.prepareStatement("UPDATE request_keys SET owner = NULL, status = ?, result = ? WHERE scope = ? AND key = ?");
            delete = c.prepareStatement("DELETE FROM request_keys WHERE scope = ? AND key = ?");
        }
        return this;
    }

    /** A key in its scope, as remembered in a group's scratch. */
    private record ScopedKey(String scope, String key) {}

    /** Writer thread: the record of {@code key} in {@code scope} as this group sees it, or null. */
    KeyRecord lookup(Connection c, WriteGroup group, String scope, String key) throws SQLException {
        KeyRecord inGroup = (KeyRecord) group.recall(new ScopedKey(scope, key));
        return inGroup != null ? inGroup : read(on(c).find, scope, key);
    }

    /** Writer thread: stores a key with its answer ({@code runner} null) or as running under {@code runner}. */
    void record(Connection c, WriteGroup group, String scope, RequestKey key, String runner, Reply reply)
            throws SQLException {
        insert(c, scope, key, runner, reply, group.nowMs());
        group.remember(new ScopedKey(scope, key.value()), new KeyRecord(key.fingerprint(), runner, reply));
    }

    /** Any thread, on its own connection (read pool). */
    static KeyRecord findOn(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
            return read(ps, scope, key);
        }
    }

    private static KeyRecord read(PreparedStatement ps, String scope, String key) throws SQLException {
        ps.setString(1, scope);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            byte[] fp = rs.getBytes(1);
            String owner = rs.getString(2);
            int status = rs.getInt(3);
            boolean answered = !rs.wasNull();
            byte[] result = rs.getBytes(4);
            return new KeyRecord(fp == null ? null : Fingerprint.of(fp), owner,
                    answered ? new Reply(status, result == null ? new byte[0] : result) : null);
        }
    }

    private void insert(Connection c, String scope, RequestKey key, String runner, Reply reply, long nowMs) throws SQLException {
        PreparedStatement ps = on(c).insert;
        ps.setString(1, scope);
        ps.setString(2, key.value());
        ps.setBytes(3, key.fingerprint().bytes());
        ps.setString(4, runner);
        if (reply == null) {
            ps.setNull(5, java.sql.Types.INTEGER);
            ps.setNull(6, java.sql.Types.BLOB);
        } else {
            ps.setInt(5, reply.status());
            ps.setBytes(6, reply.body());
        }
        ps.setLong(7, nowMs);
        ps.executeUpdate();
    }

    /** Writer thread: stores the answer of a running request. */
    void complete(Connection c, String scope, String key, Reply reply) throws SQLException {
        PreparedStatement ps = on(c).complete;
        ps.setInt(1, reply.status());
        ps.setBytes(2, reply.body());
        ps.setString(3, scope);
        ps.setString(4, key);
        ps.executeUpdate();
    }

    /** Writer thread: forgets a key whose request was not carried out, so that a retry may run it. */
    void delete(Connection c, String scope, String key) throws SQLException {
        PreparedStatement ps = on(c).delete;
        ps.setString(1, scope);
        ps.setString(2, key);
        ps.executeUpdate();
    }

    /**
     * Writer thread: deletes at most {@code limit} keys created before {@code cutoffMs}; returns how many. Chunked
     * so that expiring millions of keys never holds the writer for long.
     */
    static int expire(Connection c, long cutoffMs, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM request_keys WHERE (scope, key) IN"
                + " (SELECT scope, key FROM request_keys WHERE created_ms < ? ORDER BY created_ms LIMIT ?)")) {
            ps.setLong(1, cutoffMs);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }
}
