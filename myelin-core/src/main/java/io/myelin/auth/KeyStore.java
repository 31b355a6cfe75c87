package io.myelin.auth;

import java.util.Map;

/**
 * Port: where API keys are kept — only their SHA-256 hashes, never the keys. The engine ({@link ApiKeys}) keeps the
 * map it authenticates against in memory.
 *
 * <p>Threading: thread-safe; writes are durable when they return.
 */
public interface KeyStore {

    /** Every stored key, by the hex SHA-256 of its secret. */
    Map<String, ApiKey> loadAll();

    /**
     * Stores {@code key} with the secret whose hash is {@code hash}, replacing any key of the same name;
     * {@code committed} runs once it is durable, before this returns.
     */
    void replace(ApiKey key, String hash, Runnable committed);
}
