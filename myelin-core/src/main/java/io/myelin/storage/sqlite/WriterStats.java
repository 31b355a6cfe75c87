package io.myelin.storage.sqlite;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the writer's group commits, read by metrics. Updated by the writer thread only. */
public final class WriterStats {
    private final LongAdder groups = new LongAdder();
    private final LongAdder ops = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final LongAdder walRestarts = new LongAdder();

    void recordGroup(int opCount, long nanos) {
        groups.increment();
        ops.add(opCount);
        commitNanos.add(nanos);
    }

    void recordWalRestart() {
        walRestarts.increment();
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

    /** RESTART checkpoints the writer ran itself because the WAL file had grown past its bound. */
    public long walRestarts() {
        return walRestarts.sum();
    }
}
