package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys as the server authenticates them: an in-memory cache of the live keys of the {@link KeyStore}. Only the
 * SHA-256 of a secret is stored (generated secrets are 160 random bits and configured ones must carry at least 128,
 * so a fast hash is enough: there is no dictionary to attack). Verification hashes the presented secret and looks
 * the hash up in memory: a key's current secret, or its previous one while a rotation's grace period lasts.
 *
 * <p>The cache changes only once a change is durable ({@link KeyStore}'s {@code committed} callbacks), so a revoked
 * key stops working before its revocation is answered; {@link #onRevoked} tells whoever holds a key's work open
 * (SSE streams) at that moment. {@link KeyManagement} makes the changes; this class only applies them.
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {
    /**
     * Shortest configured admin key. The entropy of a given string cannot be measured, so the rule is a length that
     * holds 128 bits even in the least dense common form, hex: {@code openssl rand -hex 16} prints exactly 32.
     */
    public static final int MIN_ADMIN_KEY_CHARS = 32;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final KeyStore store;
    private final InstantSource clock;
    /** Current and previous hashes of the live keys, to their key's id. */
    private final ConcurrentHashMap<String, String> idByHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KeyStore.Stored> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Runnable>> revocationWatchers = new ConcurrentHashMap<>();

    private ApiKeys(KeyStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads every live key from the store; expiry is judged by the system clock. */
    public static ApiKeys load(KeyStore store) {
        return load(store, InstantSource.system());
    }

    /** Loads every live key from the store; {@code clock} judges expiry and rotation grace periods. */
    public static ApiKeys load(KeyStore store, InstantSource clock) {
        ApiKeys keys = new ApiKeys(store, clock);
        store.loadLive().forEach(keys::put);
        return keys;
    }

    /**
     * A new random secret: {@code myl_} + 32 base32 characters, each 5 uniformly random bits (the low 5 bits of a
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
        return byId.isEmpty();
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

    /**
     * Makes {@code key} the bootstrap admin key, replacing any previous one; the key must pass {@link #checkAdminKey}.
     * The same key configured again changes nothing (its id stays).
     */
    public void setAdminKey(String key) {
        checkAdminKey(key);
        String hash = hash(key);
        String id = idByHash.get(hash);
        if (id != null && byId.get(id).key().bootstrap() && hash.equals(byId.get(id).hash())) {
            return;
        }
        ApiKey admin = ApiKey.bootstrapAdmin(newKeyId(), clock.millis());
        store.replaceBootstrap(admin, hash, () -> {
            byId.values().stream().filter(s -> s.key().bootstrap()).map(s -> s.key().id()).toList()
                    .forEach(this::forget);
            put(new KeyStore.Stored(admin, hash, null));
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

    /**
     * The key whose secret is {@code bearer}.
     *
     * @throws MyelinException 401 for a missing or unknown secret, a revoked or expired key, or a previous secret
     *                         whose grace period ended
     */
    public ApiKey authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization",
                    "missing API key: send 'Authorization: Bearer <key>'");
        }
        String hash = hash(bearer);
        String id = idByHash.get(hash);
        KeyStore.Stored stored = id == null ? null : byId.get(id);
        if (stored == null) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "invalid API key");
        }
        ApiKey key = stored.key();
        long now = clock.millis();
        if (key.expiresAtMs() != null && now >= key.expiresAtMs()) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "API key " + key.id() + " expired at "
                    + Instant.ofEpochMilli(key.expiresAtMs()));
        }
        if (!hash.equals(stored.hash()) && (key.previousExpiresAtMs() == null || now >= key.previousExpiresAtMs())) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "API key " + key.id() + " was rotated;"
                    + " this secret stopped working" + (key.previousExpiresAtMs() == null ? ""
                    : " at " + Instant.ofEpochMilli(key.previousExpiresAtMs())) + ": use the new one");
        }
        return key;
    }

    /**
     * Runs {@code onRevoked} once, when the key {@code keyId} is revoked, on the thread that applies the revocation
     * (it must not block), until the returned handle is closed. A key already revoked runs nothing.
     */
    public AutoCloseable onRevoked(String keyId, Runnable onRevoked) {
        revocationWatchers.computeIfAbsent(keyId, k -> new CopyOnWriteArraySet<>()).add(onRevoked);
        return () -> revocationWatchers.computeIfPresent(keyId, (k, set) -> {
            set.remove(onRevoked);
            return set.isEmpty() ? null : set;
        });
    }

    /** True while the key {@code keyId} works: neither revoked nor expired. */
    public boolean works(String keyId) {
        KeyStore.Stored s = byId.get(keyId);
        return s != null && !s.key().endedAt(clock.millis());
    }

    /** The live key {@code id} with its hashes, or null when it is revoked or unknown. */
    KeyStore.Stored live(String id) {
        return byId.get(id);
    }

    /** Live keys that have not expired at {@code nowMs}. */
    int working(long nowMs) {
        int n = 0;
        for (KeyStore.Stored s : byId.values()) {
            if (!s.key().endedAt(nowMs)) {
                n++;
            }
        }
        return n;
    }

    /** Applies a durable change: {@code stored} replaces what was cached for its key. */
    void put(KeyStore.Stored stored) {
        KeyStore.Stored before = byId.put(stored.key().id(), stored);
        idByHash.put(stored.hash(), stored.key().id());
        if (stored.previousHash() != null) {
            idByHash.put(stored.previousHash(), stored.key().id());
        }
        if (before != null && !before.hash().equals(stored.hash()) && !before.hash().equals(stored.previousHash())) {
            idByHash.remove(before.hash());
        }
        if (before != null && before.previousHash() != null && !before.previousHash().equals(stored.previousHash())) {
            idByHash.remove(before.previousHash());
        }
    }

    /** Applies a durable revocation: the key stops authenticating, and those watching it are told. */
    void revoked(String id) {
        forget(id);
        Set<Runnable> watchers = revocationWatchers.remove(id);
        if (watchers != null) {
            for (Runnable w : watchers) {
                try {
                    w.run();
                } catch (RuntimeException e) {
                    // The revocation is durable and applied; one watcher's failure must not stop the others.
                    log.warn("a watcher of key {} failed on its revocation: {}", id, e.toString());
                }
            }
        }
    }

    private void forget(String id) {
        KeyStore.Stored s = byId.remove(id);
        if (s != null) {
            idByHash.remove(s.hash());
            if (s.previousHash() != null) {
                idByHash.remove(s.previousHash());
            }
        }
    }

    InstantSource clock() {
        return clock;
    }

    KeyStore store() {
        return store;
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
