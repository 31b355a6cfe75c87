package io.myelin.storage.sqlite;

import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.Reply;
import io.myelin.idempotency.RequestKey;

/**
 * One row of the idempotency store.
 *
 * @param fingerprint the request the key was first used with; null for keys stored before the fingerprint took
 *                    its present form (migrations V3 and V4): they match any request
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

    /**
     * The stored answer a retry under {@code key} gets, or the refusal: 422 for a different request under the same
     * key, 409 while the original runs.
     */
    Reply answerFor(RequestKey key) {
        if (!matches(key.fingerprint())) {
            throw key.reused();
        }
        if (running()) {
            throw key.stillRunning();
        }
        return key.replay(reply);
    }
}
