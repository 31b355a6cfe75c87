package io.myelin.idempotency;

/**
 * Port: the record of keyed requests that run outside the server's own transactions (see
 * {@link Idempotency#once}). Keyed writes to the server's own data store their key inside their own transaction
 * and do not use this.
 *
 * <p>Threading: thread-safe; every call is durable when it returns.
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} in {@code scope} as running under {@code owner}, or reports what is there already.
     *
     * @throws io.myelin.error.MyelinException 422 when the key was used for a different request
     */
    Claim claim(String scope, RequestKey key, String owner);

    /** Stores the answer of a claimed request. */
    void complete(String scope, RequestKey key, Reply reply);

    /** Forgets a claimed request that applied nothing, so that a retry runs it. */
    void release(String scope, RequestKey key);

    /**
     * Deletes at most {@code limit} keys of any kind created before {@code cutoffMs} (ms since the epoch); returns
     * how many.
     */
    int expire(long cutoffMs, int limit);

    /**
     * What {@link #claim} found: a fresh claim (both null), the stored answer of a completed request, or the owner
     * of a request still marked running.
     */
    record Claim(Reply stored, String runningOwner) {
        public static final Claim FRESH = new Claim(null, null);
    }
}
