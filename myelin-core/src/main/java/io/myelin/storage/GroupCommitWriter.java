package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the server-owned database.
 *
 * <p><b>Algorithm.</b> Callers on any thread {@link #submit} ops into a bounded queue. One platform thread takes
 * the first waiting op, drains everything else that arrived meanwhile (up to {@code maxGroupWeight}), and runs
 * them all in one {@code BEGIN IMMEDIATE ... COMMIT}. With WAL and {@code synchronous=FULL} the commit is one
 * fsync of the WAL, so N concurrent publishers cost one fsync, not N. Only after the commit returns are the ops
 * told {@link WriteOp#committed()} — that is where callers get their answer and subscribers get the events, so
 * nothing is acknowledged or shown before it is durable.
 *
 * <p><b>Why one writer.</b> SQLite admits one writer at a time anyway; doing it in one thread removes lock
 * contention, lets per-axon sequence numbers be assigned without locks (they are contiguous because only this
 * thread assigns them), and makes the group size adapt to load by itself: the longer an fsync takes, the more ops
 * queue up for the next one.
 *
 * <p><b>Hazards.</b> A failed commit (disk full, I/O error) rolls back the whole group and fails every op in it
 * (507 for a full disk, else 503: {@link StorageErrors#groupFailure}) and is reported to {@link StorageHealth};
 * ops undo their tentative in-memory changes via {@link WriteGroup#onRollback}, so no sequence hole is left. The
 * queue is bounded: when the disk cannot keep up, {@code submit} blocks the caller (back-pressure) instead of
 * growing the heap. The connection never checkpoints on commit; between two groups the writer runs the RESTART
 * checkpoint that {@link WalCheckpointer} asks for, which is what keeps the WAL bounded under sustained writes.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final WriteOp NOTHING = new WriteOp() {
        @Override public int weight() { return 0; }
        @Override public void apply(Connection c, WriteGroup g) {}
        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    };
    private static final WriteOp STOP = new WriteOp() {
        @Override public void apply(Connection c, WriteGroup g) {}
        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    };

    private final Connection connection;
    private final BlockingQueue<WriteOp> queue;
    private final int maxGroupWeight;
    private final Thread thread;
    private final WriterStats stats = new WriterStats();
    private volatile boolean running = true;
    private final AtomicBoolean checkpointRequested = new AtomicBoolean();
    private final StorageHealth health;

    GroupCommitWriter(Connection connection, int queueCapacity, int maxGroupWeight, StorageHealth health) {
        this.connection = connection;
        this.health = health;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxGroupWeight = maxGroupWeight;
        this.thread = Thread.ofPlatform().name("myelin-writer").daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Queues an op; blocks while the queue is full. The op's callbacks run later on the writer thread. */
    public void submit(WriteOp op) {
        if (!running) {
            op.failed(new MyelinException(ErrorKind.UNAVAILABLE, null, "server is shutting down"));
            return;
        }
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.failed(new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while queueing a write"));
        }
    }

    /** Queues an op unless the queue is full or the writer is stopping; never blocks. */
    boolean offer(WriteOp op) {
        return running && queue.offer(op);
    }

    /**
     * Asks the writer to run a RESTART checkpoint between two groups (see {@link WalCheckpointer}). Any thread;
     * the checkpoint runs after the group in progress, or at once if the writer is idle.
     */
    void requestCheckpoint() {
        if (checkpointRequested.compareAndSet(false, true)) {
            queue.offer(NOTHING); // wakes an idle writer; a full queue will wake it anyway
        }
    }

    private void checkpointIfRequested() {
        if (checkpointRequested.compareAndSet(true, false)) {
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(RESTART)");
            } catch (SQLException e) {
                log.warn("WAL checkpoint in the writer failed (will retry): {}", e.getMessage());
            }
        }
    }

    public WriterStats stats() {
        return stats;
    }

    private void loop() {
        List<WriteOp> group = new ArrayList<>();
        while (true) {
            try {
                WriteOp first = queue.take();
                if (first == STOP) {
                    return;
                }
                group.add(first);
                boolean stopping = collect(group, first.weight());
                group.removeIf(op -> op == NOTHING);
                if (!group.isEmpty()) {
                    runGroup(group);
                }
                if (stopping) {
                    return;
                }
                checkpointIfRequested();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                log.error("writer loop failure (continuing)", e);
            } finally {
                group.clear();
            }
        }
    }

    /** Drains whatever queued meanwhile into {@code group}, up to the weight cap; true when STOP was seen. */
    private boolean collect(List<WriteOp> group, int weight) {
        WriteOp next;
        while (weight < maxGroupWeight && (next = queue.poll()) != null) {
            if (next == STOP) {
                return true;
            }
            group.add(next);
            weight += next.weight();
        }
        return false;
    }

    private void runGroup(List<WriteOp> ops) {
        WriteGroup group = new WriteGroup(System.currentTimeMillis());
        List<WriteOp> applied = new ArrayList<>(ops.size());
        boolean[] rejected = new boolean[ops.size()];
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < ops.size(); i++) {
                WriteOp op = ops.get(i);
                try {
                    op.apply(connection, group);
                    applied.add(op);
                } catch (MyelinException e) {
                    rejected[i] = true;
                    op.failed(e);
                }
            }
            group.runBeforeCommit(connection);
            st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollback();
            group.rollBackMemory();
            MyelinException failure = StorageErrors.groupFailure(e, ops.size(), health.dataDir());
            if (failure.kind() == ErrorKind.INSUFFICIENT_STORAGE) {
                log.debug("group commit of {} ops failed: disk full", ops.size(), e); // StorageHealth logs it once
            } else {
                log.error("group commit of {} ops failed", ops.size(), e);
            }
            health.report(failure, "group commit of " + ops.size() + " ops to myelin.db");
            // Every op not already answered: the applied ones, the one whose write failed (a full disk can fail
            // any statement, not only COMMIT), and those after it or behind a failed BEGIN that never ran.
            for (int i = 0; i < ops.size(); i++) {
                if (!rejected[i]) {
                    ops.get(i).failed(failure);
                }
            }
            return;
        }
        stats.recordGroup(applied.size(), System.nanoTime() - started);
        for (WriteOp op : applied) {
            try {
                op.committed();
            } catch (RuntimeException e) {
                log.error("post-commit callback failed", e);
            }
        }
    }

    private void rollback() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction open (BEGIN itself failed): nothing to undo
        }
    }

    /** Stops after finishing every op queued before this call. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
