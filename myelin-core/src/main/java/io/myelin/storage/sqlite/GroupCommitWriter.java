package io.myelin.storage.sqlite;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.StorageErrors;
import io.myelin.storage.StorageHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p><b>Contract: every submitted op is answered exactly once</b> — {@link WriteOp#committed()} or
 * {@link WriteOp#failed} — whatever happens:
 * <ul>
 *   <li>Each op runs inside its own {@code SAVEPOINT}. An op that throws anything (a refusal, a constraint, an I/O
 *       error on one statement) is rolled back to its savepoint, its tentative in-memory changes are undone
 *       ({@link WriteGroup#onRollback} since its mark), it is failed, and the rest of the group goes on.</li>
 *   <li>A failed {@code BEGIN} or {@code COMMIT} (disk full, I/O error) rolls back the whole group and fails every op
 *       that was not already failed (507 for a full disk, else 503: {@link StorageErrors#groupFailure}); it is
 *       reported to {@link StorageHealth}. No sequence hole is left.</li>
 *   <li>An op submitted once closing has begun is failed at once; ops still queued when the writer stops (the
 *       thread did not finish in time, or died) are failed with "server is shutting down".</li>
 *   <li>A full queue blocks the submitter at most {@code submitTimeout}; then the op is failed with 503 and
 *       {@code Retry-After}, marked as not applied.</li>
 *   <li>A callback that throws is logged; it cannot stop the loop, which catches and logs everything.</li>
 * </ul>
 *
 * <p><b>Hazards.</b> The connection never checkpoints on commit (that would put an fsync of the database file in
 * front of every publisher of the group that crosses the threshold); {@link WalCheckpointer} copies pages back in
 * the background instead. But only a checkpoint that copied every frame lets SQLite rewind the WAL, and a PASSIVE
 * one never catches a busy writer, so after any group that leaves the WAL file larger than {@code walRestartBytes}
 * the writer runs a RESTART checkpoint itself, between two groups (it copies only what the background left, then
 * the next commit rewinds the WAL and {@code journal_size_limit} trims the file). The trim must go down to the bound
 * itself ({@code journal_size_limit} = {@code walRestartBytes}): a file left larger than the bound would look
 * "grown" after every later group and put a RESTART, with its fsync of the database, in front of every commit. And
 * the RESTART takes the checkpoint lock it shares with {@link WalCheckpointer}: SQLite fails a checkpoint with BUSY,
 * without calling the busy handler, while another connection checkpoints, so unsynchronised the writer's RESTART
 * lost to the background PASSIVE about half the time and the WAL grew to several times its bound. Deciding here, from the file's size,
 * keeps the WAL bounded however busy the machine is: nothing depends on another thread being scheduled in time. A
 * savepoint costs two statements per op: they are prepared once.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final WriteOp STOP = new WriteOp() {
        @Override public void apply(Connection c, WriteGroup g) {}
        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    };

    /** An op and when it was queued, for the oldest-op-age gauge. */
    private record Queued(WriteOp op, long sinceNanos) {}

    private final Connection connection;
    private final BlockingQueue<Queued> queue;
    private final int maxGroupWeight;
    private final Duration submitTimeout;
    private final InstantSource clock;
    private final Thread thread;
    private final WriterStats stats = new WriterStats();
    private volatile boolean running = true;
    private volatile Queued head;
    private final StorageHealth health;
    private final Path wal;
    private final long walRestartBytes;
    private final java.util.concurrent.locks.Lock checkpointLock; // shared with WalCheckpointer
    private String lastCheckpointFailure; // writer thread only

    GroupCommitWriter(Connection connection, Path wal, long walRestartBytes, java.util.concurrent.locks.Lock checkpointLock,
                      int queueCapacity, int maxGroupWeight, Duration submitTimeout, InstantSource clock,
                      StorageHealth health) {
        this.connection = connection;
        this.checkpointLock = checkpointLock;
        this.wal = wal;
        this.walRestartBytes = walRestartBytes;
        this.health = health;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxGroupWeight = maxGroupWeight;
        this.submitTimeout = submitTimeout;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("myelin-writer").daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an op; blocks while the queue is full, at most the submit timeout. The op's callbacks run later on the
     * writer thread, or at once on this thread when the op is refused (closing, queue full, interrupted).
     */
    public void submit(WriteOp op) {
        if (!running) {
            op.failed(shuttingDown());
            return;
        }
        try {
            if (!queue.offer(new Queued(op, System.nanoTime()), submitTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                op.failed(new MyelinException(ErrorKind.UNAVAILABLE, null, "the storage writer has " + queue.size()
                        + " writes queued and took none for " + submitTimeout.toMillis() + " ms (storage.write-queue);"
                        + " nothing was written: retry later").retry(true, Duration.ofSeconds(1)).nothingApplied());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.failed(new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while queueing a write")
                    .nothingApplied());
            return;
        }
        if (!running) {
            // close() may have drained the queue just before this op arrived: answer whatever it left behind.
            failQueued();
        }
    }

    /** Queues an op unless the queue is full or the writer is stopping; never blocks. */
    boolean offer(WriteOp op) {
        return running && queue.offer(new Queued(op, System.nanoTime()));
    }

    /** After a group: a RESTART checkpoint when the WAL file has grown past its bound (see the class comment). */
    private void checkpointIfLarge() {
        long size;
        try {
            size = Files.size(wal);
        } catch (IOException e) {
            return; // no WAL file yet
        }
        if (size <= walRestartBytes) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            stats.recordWalRestart();
            checkpointLock.lock(); // SQLite answers BUSY at once, without waiting, while another checkpoint runs
            try {
                st.execute("PRAGMA wal_checkpoint(RESTART)");
            } finally {
                checkpointLock.unlock();
            }
            lastCheckpointFailure = null;
        } catch (SQLException e) {
            if (!e.getMessage().equals(lastCheckpointFailure)) { // once per cause, not once per group
                log.warn("WAL checkpoint in the writer failed (retried after the next group): {}", e.getMessage());
                lastCheckpointFailure = e.getMessage();
            }
        }
    }

    public WriterStats stats() {
        return stats;
    }

    /** How long a submitter waits for a place in the queue, and then for its answer ({@code storage.write-timeout}). */
    public Duration answerTimeout() {
        return submitTimeout;
    }

    /** Ops waiting for the writer right now. */
    public int queued() {
        return queue.size();
    }

    /** Seconds the oldest op not yet taken by the writer has waited; 0 when none waits. */
    public double oldestQueuedSeconds() {
        Queued first = queue.peek();
        return first == null ? 0 : (System.nanoTime() - first.sinceNanos()) / 1e9;
    }

    private void loop() {
        List<WriteOp> group = new ArrayList<>();
        try (Savepoints savepoints = new Savepoints(connection)) {
            while (true) {
                boolean ran = false;
                try {
                    Queued first = queue.take();
                    if (first.op() == STOP) {
                        return;
                    }
                    group.add(first.op());
                    boolean stopping = collect(group, first.op().weight());
                    ran = true; // runGroup answers every op itself, whatever happens in it
                    runGroup(group, savepoints);
                    if (stopping) {
                        return;
                    }
                    checkpointIfLarge();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | Error e) {
                    log.error("writer loop failure (continuing)", e);
                    if (!ran) {
                        for (WriteOp op : group) {
                            answer(op, new MyelinException(ErrorKind.INTERNAL, null, "storage writer failure: " + e, e));
                        }
                    }
                } finally {
                    group.clear();
                }
            }
        } catch (SQLException e) {
            log.error("the storage writer cannot prepare its statements; failing every write", e);
        } finally {
            running = false;
            failQueued();
        }
    }

    /** Drains whatever queued meanwhile into {@code group}, up to the weight cap; true when STOP was seen. */
    private boolean collect(List<WriteOp> group, int weight) {
        Queued next;
        while (weight < maxGroupWeight && (next = queue.poll()) != null) {
            if (next.op() == STOP) {
                return true;
            }
            group.add(next.op());
            weight += next.op().weight();
        }
        return false;
    }

    private void runGroup(List<WriteOp> ops, Savepoints savepoints) {
        WriteGroup group = new WriteGroup(clock.millis());
        boolean[] answered = new boolean[ops.size()];
        int applied = 0;
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < ops.size(); i++) {
                WriteOp op = ops.get(i);
                int mark = group.mark();
                savepoints.begin();
                try {
                    op.apply(connection, group);
                    savepoints.release();
                    applied++;
                } catch (SQLException | RuntimeException | StackOverflowError e) {
                    savepoints.rollback();
                    group.undoTo(mark);
                    answered[i] = true;
                    answer(op, opFailure(e));
                }
            }
            group.runBeforeCommit(connection);
            st.execute("COMMIT");
        } catch (SQLException | RuntimeException | Error e) {
            rollback();
            group.undoTo(0);
            MyelinException failure = StorageErrors.groupFailure(e, ops.size(), health.dataDir());
            if (failure.kind() == ErrorKind.INSUFFICIENT_STORAGE) {
                log.debug("group commit of {} ops failed: disk full", ops.size(), e); // StorageHealth logs it once
            } else {
                log.error("group commit of {} ops failed", ops.size(), e);
            }
            health.report(failure, "group commit of " + ops.size() + " ops to myelin.db");
            for (int i = 0; i < ops.size(); i++) {
                if (!answered[i]) {
                    answer(ops.get(i), failure);
                }
            }
            return;
        }
        stats.recordGroup(applied, System.nanoTime() - started);
        for (int i = 0; i < ops.size(); i++) {
            if (!answered[i]) {
                try {
                    ops.get(i).committed();
                } catch (RuntimeException e) {
                    log.error("post-commit callback failed", e);
                }
            }
        }
    }

    /**
     * The answer for an op whose own statements failed (its savepoint was rolled back, the group goes on): its own
     * refusal, or a storage failure classified like a group's (507 for a full disk), which also counts against the
     * node's health.
     */
    private MyelinException opFailure(Throwable e) {
        if (e instanceof MyelinException me) {
            return me;
        }
        int primary = StorageErrors.primaryCode(e);
        if (StorageErrors.isStorageClass(primary)) {
            MyelinException failure = StorageErrors.groupFailure(e, 1, health.dataDir());
            health.report(failure, "a write to myelin.db");
            return failure;
        }
        log.error("a write failed and was rolled back; the rest of its group goes on", e);
        return new MyelinException(ErrorKind.INTERNAL, null, "the write failed and was rolled back: " + e, e)
                .nothingApplied();
    }

    private static void answer(WriteOp op, MyelinException failure) {
        try {
            op.failed(failure);
        } catch (RuntimeException e) {
            log.error("failure callback failed", e);
        }
    }

    private void rollback() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction open (BEGIN itself failed): nothing to undo
        }
    }

    private static MyelinException shuttingDown() {
        return new MyelinException(ErrorKind.UNAVAILABLE, null, "the server is shutting down; nothing was written")
                .retry(true, Duration.ofSeconds(1)).nothingApplied();
    }

    /** Fails every op still queued; each is taken from the queue once, so each is answered once. */
    private void failQueued() {
        for (Queued q; (q = queue.poll()) != null; ) {
            if (q.op() != STOP) {
                answer(q.op(), shuttingDown());
            }
        }
    }

    /**
     * Stops after finishing every op queued before this call; ops queued later, or left when the writer thread
     * does not finish within 30 s, are failed.
     */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        try {
            if (!queue.offer(new Queued(STOP, System.nanoTime()), 30, TimeUnit.SECONDS)) {
                log.warn("the storage writer's queue stayed full for 30 s while closing");
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                log.error("the storage writer did not stop within 30 s; failing what is still queued");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failQueued();
        }
    }

    /** {@code SAVEPOINT}, {@code RELEASE} and {@code ROLLBACK TO} for one op at a time, prepared once. */
    private static final class Savepoints implements AutoCloseable {
        private final java.sql.PreparedStatement begin;
        private final java.sql.PreparedStatement release;
        private final java.sql.PreparedStatement rollback;

        Savepoints(Connection c) throws SQLException {
            begin = c.prepareStatement("SAVEPOINT op");
            release = c.prepareStatement("RELEASE op");
            rollback = c.prepareStatement("ROLLBACK TO op");
        }

        void begin() throws SQLException {
            begin.execute();
        }

        void release() throws SQLException {
            release.execute();
        }

        /** Undoes the op's writes and leaves the group's transaction open. */
        void rollback() {
            try {
                rollback.execute();
                release.execute();
            } catch (SQLException e) {
                // The transaction itself is gone (SQLite rolls back on some I/O errors): COMMIT will fail and say so.
                log.debug("rolling back to the op's savepoint failed: {}", e.getMessage());
            }
        }

        @Override
        public void close() {
            for (java.sql.PreparedStatement ps : new java.sql.PreparedStatement[] {begin, release, rollback}) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing with the connection
                }
            }
        }
    }
}
