package io.myelin.auth;

import io.myelin.concurrent.MemoryBudget;
import java.util.List;

/**
 * Port: where API keys are kept — only the SHA-256 hashes of their secrets, never the secrets. The engine
 * ({@link ApiKeys}) keeps the live keys it authenticates against in memory, a cache of this store.
 *
 * <p>Threading: thread-safe; writes are durable when they return, and their {@code committed} callback has run by
 * then (on the writer's thread: it must not block).
 */
public interface KeyStore {

    /**
     * A key with the hashes that authenticate as it.
     *
     * @param hash         hex SHA-256 of its current secret
     * @param previousHash hex SHA-256 of its secret before the last rotation while that still works
     *                     ({@link ApiKey#previousExpiresAtMs}), else null
     */
    record Stored(ApiKey key, String hash, String previousHash) {}

    /** Every key not revoked (expired ones included), in creation order. */
    List<Stored> loadLive();

    /** Stores a new key whose secret hashes to {@code hash}. */
    void insert(ApiKey key, String hash, Runnable committed);

    /** Stores {@code key} (a {@link ApiKey#bootstrap} key) in place of any earlier bootstrap key. */
    void replaceBootstrap(ApiKey key, String hash, Runnable committed);

    /**
     * Gives the live key {@code id} a new secret: its current hash becomes its previous one, valid until
     * {@code previousUntilMs}, replacing any earlier previous hash.
     *
     * @return false (and {@code committed} does not run) when no such key is live
     */
    boolean rotate(String id, String newHash, long previousUntilMs, Runnable committed);

    /**
     * Marks the key revoked at {@code atMs} and forgets its previous hash.
     *
     * @return false (and {@code committed} does not run) when no such key is live
     */
    boolean revoke(String id, long atMs, Runnable committed);

    /** The key {@code id}, revoked or not, or null. */
    ApiKey find(String id);

    /**
     * A page of every key, revoked ones included, in creation order after the key {@code startingAfter} (null: from
     * the first); at most {@code limit} keys and about {@code maxPageBytes} of them (held in {@code memory}), then
     * {@code has_more}.
     *
     * @throws io.myelin.error.MyelinException 400 naming {@code starting_after} when no key has that id
     */
    KeyPage list(String startingAfter, int limit, long maxPageBytes, MemoryBudget.Lease memory);
}
