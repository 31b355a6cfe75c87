package io.myelin.storage.sqlite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers {@code total_count} of recent filtered list queries until the next axon change.
 *
 * <p>Why: clients page through a filtered list by repeating the same filters with a moving cursor, and SDKs ask
 * for the total on every page. Counting a filter is a scan of every matching axon; caching the count per filter,
 * keyed by a generation that every create/update/delete bumps, makes the second and later pages cost only their
 * own rows. A stale count is impossible: any change moves the generation and misses the cache.
 */
final class ListCounts {
    private static final int MAX_ENTRIES = 128;

    private record Counted(long generation, long count) {}

    private final AtomicLong generation = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Counted> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counted> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Called after every committed change to the set of axons or their metadata. */
    void invalidate() {
        generation.incrementAndGet();
    }

    long generation() {
        return generation.get();
    }

    /** The cached count for {@code key} if nothing changed since {@code generation}, else -1. */
    long get(String key, long generation) {
        lock.lock();
        try {
            Counted e = entries.get(key);
            return e != null && e.generation() == generation ? e.count() : -1;
        } finally {
            lock.unlock();
        }
    }

    void put(String key, long generation, long count) {
        lock.lock();
        try {
            entries.put(key, new Counted(generation, count));
        } finally {
            lock.unlock();
        }
    }
}
