package io.myelin.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ops of one group transaction share: the group's clock reading, a scratch map for state that later ops
 * in the same group must see before it is committed (e.g. idempotency keys used earlier in the group), and undo
 * actions for tentative in-memory changes.
 *
 * <p>Undo is per op: the writer takes a {@link #mark()} before each op and, when the op fails and its savepoint is
 * rolled back, undoes back to that mark ({@link #undoTo}) — newest first, including the op's scratch entries — so a
 * failed op leaves neither rows nor memory behind while the rest of the group goes on. A group that fails as a
 * whole undoes back to mark 0. Confined to the writer thread.
 */
public final class WriteGroup {
    private final long nowMs;
    private final Map<Object, Object> scratch = new HashMap<>();
    private final List<Runnable> undo = new ArrayList<>();
    private final Map<Object, SqlWork<?>> beforeCommit = new LinkedHashMap<>();

    WriteGroup(long nowMs) {
        this.nowMs = nowMs;
    }

    /** The clock read once per group (ms since the epoch), so every event of a group carries the same timestamp. */
    public long nowMs() {
        return nowMs;
    }

    /** What an earlier op of this group remembered under {@code key}, or null. */
    public Object recall(Object key) {
        return scratch.get(key);
    }

    /** Makes {@code value} visible to later ops of this group under {@code key}; forgotten if this op fails. */
    public void remember(Object key, Object value) {
        Object previous = scratch.put(key, value);
        undo.add(() -> {
            if (previous == null) {
                scratch.remove(key);
            } else {
                scratch.put(key, previous);
            }
        });
    }

    /** Registers an undo for a tentative in-memory change; run (newest first) if the op or the group fails. */
    public void onRollback(Runnable action) {
        undo.add(action);
    }

    /**
     * Registers a statement to run once, just before COMMIT, under {@code key}: a later registration with the same
     * key replaces the earlier one. Used to write per-axon state once per group rather than once per op. It must
     * write what memory says at commit time, so that an op undone after registering leaves it correct.
     */
    public void beforeCommit(Object key, SqlWork<?> work) {
        beforeCommit.put(key, work);
    }

    int mark() {
        return undo.size();
    }

    void undoTo(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            undo.remove(i).run();
        }
    }

    void runBeforeCommit(Connection c) throws SQLException {
        for (SqlWork<?> w : beforeCommit.values()) {
            w.run(c);
        }
    }
}
