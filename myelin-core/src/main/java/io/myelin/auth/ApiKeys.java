package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.Storage;
import io.myelin.storage.WriteCall;
import io.myelin.storage.WriteGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys. Only the SHA-256 of a key is stored (keys are 160 random bits, so a fast hash is enough: there is no
 * dictionary to attack). Verification hashes the presented key and looks the hash up in memory.
 */
public final class ApiKeys {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ADMIN = "admin";

    private final Storage storage;
    private final ConcurrentHashMap<String, Principal> byHash = new ConcurrentHashMap<>();

    private ApiKeys(Storage storage) {
        this.storage = storage;
    }

    public static ApiKeys load(Storage storage) {
        ApiKeys keys = new ApiKeys(storage);
        storage.reads().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hash, name, role FROM api_keys");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.byHash.put(rs.getString(1), new Principal(rs.getString(2), Role.valueOf(rs.getString(3))));
                }
            }
            return null;
        });
        return keys;
    }

    /** A new random key: {@code myl_} + 32 base32 characters. */
    public static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder("myl_");
        for (byte x : b) {
            sb.append(ALPHABET[x & 31]);
        }
        return sb.toString();
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** Makes {@code key} the admin key, replacing any previous admin key. */
    public void setAdminKey(String key) {
        if (key == null || key.length() < 16) {
            throw MyelinException.invalid("admin-key", "the admin key must be at least 16 characters");
        }
        String hash = hash(key);
        if (byHash.containsKey(hash)) {
            return;
        }
        WriteCall.run(storage.writer(), new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM api_keys WHERE name = ?");
                     PreparedStatement ins = c.prepareStatement(
                             "INSERT INTO api_keys(hash, name, role, created_ms) VALUES (?, ?, ?, ?)")) {
                    del.setString(1, ADMIN);
                    del.executeUpdate();
                    ins.setString(1, hash);
                    ins.setString(2, ADMIN);
                    ins.setString(3, Role.ADMIN.name());
                    ins.setLong(4, g.nowMs());
                    ins.executeUpdate();
                }
                result(Boolean.TRUE);
            }

            @Override
            protected void onCommitted() {
                byHash.values().removeIf(p -> p.keyName().equals(ADMIN));
                byHash.put(hash, new Principal(ADMIN, Role.ADMIN));
            }
        });
    }

    /** The principal owning {@code bearer}, or a 401 {@link MyelinException}. */
    public Principal authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization",
                    "missing API key: send 'Authorization: Bearer <key>'");
        }
        Principal p = byHash.get(hash(bearer));
        if (p == null) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "invalid API key");
        }
        return p;
    }

    static String hash(String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
