package io.myelin.axonsql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded set of open per-axon connections, least recently used closed first.
 *
 * <p>Algorithm: check-out/check-in. {@link #checkout} hands a connection to the one thread working for that
 * axon and removes it from the idle LRU, so eviction can only ever pick connections nobody is using and never
 * needs to lock or wait for an axon. {@link #checkin} puts it back as most recently used. The cap counts idle,
 * checked-out and closing connections together, so the number of open databases (three file descriptors each
 * in WAL mode: db, -wal, -shm) never exceeds {@code cap} as long as fewer than {@code cap} axons are in use at
 * the same instant; if they all are, a new one is opened anyway rather than failing the request.
 *
 * <p>Closing (which checkpoints the WAL) runs outside the lock, so a slow checkpoint never stalls other axons.
 * Hazard this creates: the closing axon could be checked out again before its old connection is closed, and
 * {@link AxonSql#drop} could delete files under it. So checkout and {@link #evict} of an axon that is closing
 * wait for the close to finish ({@code closing} set plus a condition).
 *
 * <p>Callers guarantee at most one checkout per axon at a time ({@link AxonLanes}); a second one is a bug and
 * fails fast.
 */
final class OpenDatabases implements AutoCloseable {

    /** Opens a new connection for an axon; runs outside the lock. */
    @FunctionalInterface
    interface Opener {
        AxonConnection open(String axonId) throws SQLException;
    }

    private final int cap;
    private final Opener opener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedOne = lock.newCondition();
    /** Insertion order is recency: checkin re-inserts at the tail, eviction takes from the head. */
    private final LinkedHashMap<String, AxonConnection> idle = new LinkedHashMap<>();
    private final Set<String> busy = new HashSet<>();
    private final Set<String> closing = new HashSet<>();
    private boolean closed;

    OpenDatabases(int cap, Opener opener) {
        this.cap = cap;
        this.opener = opener;
    }

    AxonConnection checkout(String axonId) throws SQLException {
        List<AxonConnection> victims;
        lock.lock();
        try {
            awaitNotClosing(axonId);
            if (closed) {
                throw new IllegalStateException("SQL engine is closed");
            }
            if (!busy.add(axonId)) {
                throw new IllegalStateException("axon " + axonId + " database is already checked out");
            }
            AxonConnection c = idle.remove(axonId);
            if (c != null) {
                return c;
            }
            victims = evictOverCap();
        } finally {
            lock.unlock();
        }
        closeAll(victims);
        try {
            return opener.open(axonId);
        } catch (SQLException | RuntimeException e) {
            release(axonId);
            throw e;
        }
    }

    /** Returns a healthy connection as the most recently used. */
    void checkin(AxonConnection c) {
        List<AxonConnection> victims;
        lock.lock();
        try {
            busy.remove(c.axonId());
            if (closed) {
                victims = List.of(c);
            } else {
                idle.put(c.axonId(), c);
                victims = evictOverCap();
            }
        } finally {
            lock.unlock();
        }
        closeAll(victims);
    }

    /** Closes a checked-out connection instead of returning it (it failed, or its axon is being dropped). */
    void discard(AxonConnection c) {
        lock.lock();
        try {
            closing.add(c.axonId());
        } finally {
            lock.unlock();
        }
        closeAll(List.of(c));
        release(c.axonId());
    }

    /** Closes the axon's idle connection, if any, and waits for any close in progress. */
    void evict(String axonId) {
        AxonConnection c;
        lock.lock();
        try {
            awaitNotClosing(axonId);
            c = idle.remove(axonId);
            if (c == null) {
                return;
            }
            closing.add(axonId);
        } finally {
            lock.unlock();
        }
        closeAll(List.of(c));
    }

    /** True when the axon's connection is open and idle (for tests of the eviction order). */
    boolean isIdle(String axonId) {
        lock.lock();
        try {
            return idle.containsKey(axonId);
        } finally {
            lock.unlock();
        }
    }

    /** Open connections: idle, in use, and being closed. */
    int size() {
        lock.lock();
        try {
            return idle.size() + busy.size() + closing.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<AxonConnection> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(idle.values());
            closing.addAll(idle.keySet());
            idle.clear();
        } finally {
            lock.unlock();
        }
        closeAll(all);
    }

    private void release(String axonId) {
        lock.lock();
        try {
            busy.remove(axonId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: moves least recently used idle connections to {@code closing} until the open count fits
     * the cap. The victims are closed by the caller right after, before it opens anything, so they no longer
     * count; connections other threads are still closing do.
     */
    private List<AxonConnection> evictOverCap() {
        List<AxonConnection> victims = new ArrayList<>();
        Iterator<Map.Entry<String, AxonConnection>> it = idle.entrySet().iterator();
        while (idle.size() + busy.size() + closing.size() - victims.size() > cap && it.hasNext()) {
            Map.Entry<String, AxonConnection> eldest = it.next();
            it.remove();
            closing.add(eldest.getKey());
            victims.add(eldest.getValue());
        }
        return victims;
    }

    private void closeAll(List<AxonConnection> victims) {
        for (AxonConnection v : victims) {
            try {
                v.close();
            } finally {
                lock.lock();
                try {
                    closing.remove(v.axonId());
                    closedOne.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void awaitNotClosing(String axonId) {
        boolean interrupted = false;
        while (closing.contains(axonId)) {
            try {
                closedOne.await();
            } catch (InterruptedException e) {
                interrupted = true; // the close is short and must be waited for; restore the flag after
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
