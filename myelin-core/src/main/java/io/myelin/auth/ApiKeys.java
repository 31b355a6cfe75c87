package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys. Only the SHA-256 of a key is stored (generated keys are 160 random bits and configured ones must carry
 * at least 128, so a fast hash is enough: there is no dictionary to attack). Verification hashes the presented key
 * and looks the hash up in memory.
 */
public final class ApiKeys {
    /**
     * Shortest configured admin key. The entropy of a given string cannot be measured, so the rule is a length that
     * holds 128 bits even in the least dense common form, hex: {@code openssl rand -hex 16} prints exactly 32.
     */
    public static final int MIN_ADMIN_KEY_CHARS = 32;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ADMIN = "admin";

    private final KeyStore store;
    private final ConcurrentHashMap<String, ApiKey> byHash = new ConcurrentHashMap<>();

    private ApiKeys(KeyStore store) {
        this.store = store;
    }

    /** Loads every key's hash from the store. */
    public static ApiKeys load(KeyStore store) {
        ApiKeys keys = new ApiKeys(store);
        keys.byHash.putAll(store.loadAll());
        return keys;
    }

    /**
     * A new random key: {@code myl_} + 32 base32 characters, each 5 uniformly random bits (the low 5 bits of a
     * random byte; 256 is a multiple of 32, so there is no bias): 160 bits from {@link SecureRandom}.
     */
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

    /**
     * Checks a configured admin key ({@code admin-key}, {@code MYELIN_ADMIN_KEY}): at least
     * {@value #MIN_ADMIN_KEY_CHARS} characters, printable ASCII only (no spaces, tabs or line breaks). The message
     * never repeats the key.
     *
     * @throws MyelinException 400 naming {@code admin-key} when the key breaks the rule
     */
    public static void checkAdminKey(String key) {
        String rule = "admin-key must be at least " + MIN_ADMIN_KEY_CHARS + " printable ASCII characters without"
                + " whitespace (128 bits; e.g. the output of `openssl rand -hex 16`)";
        if (key == null || key.length() < MIN_ADMIN_KEY_CHARS) {
            throw MyelinException.invalid("admin-key", rule + "; the configured key has "
                    + (key == null ? 0 : key.length()) + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch <= ' ' || ch > '~') {
                throw MyelinException.invalid("admin-key", rule + "; the configured key has "
                        + (Character.isWhitespace(ch) ? "whitespace" : "a character outside printable ASCII")
                        + " at position " + (i + 1));
            }
        }
    }

    /** Makes {@code key} the admin key, replacing any previous admin key; the key must pass {@link #checkAdminKey}. */
    public void setAdminKey(String key) {
        checkAdminKey(key);
        String hash = hash(key);
        if (byHash.containsKey(hash)) {
            return;
        }
        ApiKey admin = new ApiKey(newKeyId(), ADMIN, Role.ADMIN);
        store.replace(admin, hash, () -> {
            byHash.values().removeIf(k -> k.name().equals(ADMIN));
            byHash.put(hash, admin);
        });
    }

    /**
     * A new key id: {@code key_} + 24 hex characters (96 random bits), the same shape the migration that introduced
     * ids gave existing keys. Not a secret; unique, so logs and records can name the key without holding it.
     */
    static String newKeyId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "key_" + HexFormat.of().formatHex(b);
    }

    /** The key whose secret is {@code bearer}, or a 401 {@link MyelinException}. */
    public ApiKey authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization",
                    "missing API key: send 'Authorization: Bearer <key>'");
        }
        ApiKey key = byHash.get(hash(bearer));
        if (key == null) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "invalid API key");
        }
        return key;
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
