package io.myelin.auth;

import java.util.Map;

/**
 * Port: where API keys are kept — only their SHA-256 hashes, never the keys. The engine ({@link ApiKeys}) keeps the
 * map it authenticates against in memory.
 *
 * <p>Threading: thread-safe; writes are durable when they return.
 */
public interface KeyStore {

    /** Every key's principal, by the hex SHA-256 of the key. */
    Map<String, Principal> loadAll();

    /**
     * Makes {@code hash} the one key named {@code name} with {@code role}, replacing any key of that name;
     * {@code committed} runs once it is durable, before this returns.
     */
    void replace(String name, Role role, String hash, Runnable committed);
}
