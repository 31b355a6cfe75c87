package io.myelin.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.ApiKey;
import io.myelin.auth.ApiKeys;
import io.myelin.auth.ScopeName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Every API key has a stable id: new keys get one, keys stored before ids existed get one at the upgrade. */
@Timeout(60)
class ApiKeyIdsTest {
    static final String SECRET = "an-admin-key-of-at-least-32-characters";

    @TempDir
    Path dir;

    @Test
    void aKeyKeepsItsIdAcrossRestartsAndANewKeyGetsANewOne() {
        String id;
        try (SqliteStores storage = SqliteStores.open(StorageOptions.defaults(dir))) {
            ApiKeys keys = ApiKeys.load(storage.keys());
            keys.setAdminKey(SECRET);
            ApiKey key = keys.authenticate(SECRET);
            assertThat(key.id()).matches("key_[0-9a-f]{24}");
            assertThat(key.name()).isEqualTo("admin");
            id = key.id();
        }
        try (SqliteStores storage = SqliteStores.open(StorageOptions.defaults(dir))) {
            ApiKeys keys = ApiKeys.load(storage.keys());
            keys.setAdminKey(SECRET); // configured again at start: nothing changes
            assertThat(keys.authenticate(SECRET).id()).isEqualTo(id);
            keys.setAdminKey(SECRET + "-rotated");
            assertThat(keys.authenticate(SECRET + "-rotated").id()).isNotEqualTo(id).matches("key_[0-9a-f]{24}");
        }
    }

    @Test
    void keysStoredBeforeIdsGetOneAndOldFingerprintsMatchAnyRetry() throws Exception {
        Files.createDirectories(dir);
        String url = "jdbc:sqlite:" + dir.resolve("myelin.db");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
        }
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl(url);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO api_keys(hash, name, role, created_ms) VALUES ('" + sha256(SECRET) + "', 'admin', 'ADMIN', 1)");
            st.execute("INSERT INTO request_keys(scope, key, fingerprint, owner, status, result, created_ms)"
                    + " VALUES ('', 'k-1', x'" + "00".repeat(32) + "', NULL, 200, x'7b7d', " + System.currentTimeMillis() + ")");
        }
        try (SqliteStores storage = SqliteStores.open(StorageOptions.defaults(dir))) {
            ApiKey key = ApiKeys.load(storage.keys()).authenticate(SECRET);
            assertThat(key.id()).matches("key_[0-9a-f]{24}");
            assertThat(key.scopes()).containsExactly(ScopeName.ADMIN);
            assertThat(key.bootstrap()).as("the key stored before scopes is the bootstrap admin key").isTrue();
            assertThat(key.axonIds()).isNull();
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint FROM request_keys WHERE key = 'k-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(1)).as("a fingerprint of the old form could never match again").isNull();
        }
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
