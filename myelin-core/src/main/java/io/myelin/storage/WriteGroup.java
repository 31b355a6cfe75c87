package io.myelin.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ops of one group transaction share: the group's clock reading, a scratch map for state that later ops
 * in the same group must see before it is committed (e.g. idempotency keys used earlier in the group), and
 * rollback actions for tentative in-memory changes. Confined to the writer thread.
 */
public final class WriteGroup {
    private final long nowMs;
    private final Map<Object, Object> scratch = new HashMap<>();
    private final List<Runnable> onRollback = new ArrayList<>();
    private final Map<Object, SqlWork<?>> beforeCommit = new LinkedHashMap<>();

    WriteGroup(long nowMs) {
        this.nowMs = nowMs;
    }

    /** Wall-clock time taken once per group, so every event of a group carries the same timestamp. */
    public long nowMs() {
        return nowMs;
    }

    public Map<Object, Object> scratch() {
        return scratch;
    }

    /** Registers an undo for a tentative in-memory change; run (newest first) if the group rolls back. */
    public void onRollback(Runnable undo) {
        onRollback.add(undo);
    }

    /**
     * Registers a statement to run once, just before COMMIT, under {@code key}: a later registration with the same
     * key replaces the earlier one. Used to write per-axon state once per group rather than once per op.
     */
    public void beforeCommit(Object key, SqlWork<?> work) {
        beforeCommit.put(key, work);
    }

    void runBeforeCommit(Connection c) throws SQLException {
        for (SqlWork<?> w : beforeCommit.values()) {
            w.run(c);
        }
    }

    void rollBackMemory() {
        for (int i = onRollback.size() - 1; i >= 0; i--) {
            onRollback.get(i).run();
        }
    }
}
