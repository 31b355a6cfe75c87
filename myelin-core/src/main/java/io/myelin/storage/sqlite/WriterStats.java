package io.myelin.storage.sqlite;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the writer's group commits, read by metrics. Updated by the writer thread only. */
public final class WriterStats {
    private final LongAdder groups = new LongAdder();
    private final LongAdder ops = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();

    void recordGroup(int opCount, long nanos) {
        groups.increment();
        ops.add(opCount);
        commitNanos.add(nanos);
    }

    public long groups() {
        return groups.sum();
    }

    public long ops() {
        return ops.sum();
    }

    public long commitNanos() {
        return commitNanos.sum();
    }
}
