package io.myelin.storage.sqlite;

import io.myelin.auth.ApiKey;
import io.myelin.auth.KeyStore;
import io.myelin.auth.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** {@link KeyStore} over the {@code api_keys} table (hashes only). */
final class SqliteKeyStore implements KeyStore {
    private final GroupCommitWriter writer;
    private final ReadPool reads;

    SqliteKeyStore(GroupCommitWriter writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    @Override
    public Map<String, ApiKey> loadAll() {
        return reads.read(c -> {
            Map<String, ApiKey> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT hash, id, name, role FROM api_keys");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ApiKey(rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4))));
                }
            }
            return out;
        });
    }

    @Override
    public void replace(ApiKey key, String hash, Runnable committed) {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM api_keys WHERE name = ?");
                     PreparedStatement ins = c.prepareStatement(
                             "INSERT INTO api_keys(hash, id, name, role, created_ms) VALUES (?, ?, ?, ?, ?)")) {
                    del.setString(1, key.name());
                    del.executeUpdate();
                    ins.setString(1, hash);
                    ins.setString(2, key.id());
                    ins.setString(3, key.name());
                    ins.setString(4, key.role().name());
                    ins.setLong(5, g.nowMs());
                    ins.executeUpdate();
                }
                result(Boolean.TRUE);
            }

            @Override
            protected void onCommitted() {
                committed.run();
            }
        });
    }
}
