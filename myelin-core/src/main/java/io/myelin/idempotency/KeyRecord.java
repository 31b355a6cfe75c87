package io.myelin.idempotency;

/**
 * One row of the idempotency store.
 *
 * @param fingerprint the request the key was first used with; null for keys migrated from before fingerprints
 *                    were SHA-256 (they match any request)
 * @param owner       boot id of the node running the request while it runs outside the server database; null
 *                    once an answer is stored
 * @param reply       the stored answer, null while the request runs
 */
record KeyRecord(Fingerprint fingerprint, String owner, Reply reply) {
    boolean running() {
        return reply == null;
    }

    boolean matches(Fingerprint f) {
        return fingerprint == null || fingerprint.equals(f);
    }
}
