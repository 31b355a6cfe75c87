package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can write: the readiness fact behind {@code /readyz} and the {@code myelin_storage_writable}
 * gauge.
 *
 * <p><b>What flips it.</b> A storage-class failure ({@link StorageErrors#isStorageClass}: full disk, I/O error,
 * read-only or permission-denied file; or a file that could not be created) reported by the group-commit writer of
 * {@code myelin.db} or by Axon SQL.
 * Statement errors, size caps and lock contention never flip it.
 *
 * <p><b>What clears it.</b> Once not writable, a probe runs every {@link #PROBE_INTERVAL} on its own platform thread
 * ({@code myelin-storage-probe}, started on the first failure): when the data dir's filesystem has at least
 * {@link #RESUME_FREE_BYTES} usable, it commits a tiny write through the writer (one WAL page, one fsync); if that
 * commits and no new failure was reported meanwhile, the node is writable again. The space threshold is
 * hysteresis: a disk that has just a few pages free would otherwise flip readiness back and forth with every write
 * (SQLite can reuse WAL space freed by a rolled-back transaction, so a tiny write alone proves little). A probe
 * write waits at most {@link #PROBE_TIMEOUT}; one still pending is waited for rather than queued again.
 *
 * <p>Thread-safe: reports come from the writer and the SQL threads, reads from HTTP threads.
 */
public final class StorageHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageHealth.class);

    /** Usable bytes the data dir's filesystem must have before a node that ran out of space is writable again. */
    public static final long RESUME_FREE_BYTES = 16L << 20;
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** {@code reason} is null while writable; every report makes a new instance, so a probe can tell it missed one. */
    private record State(String reason) {}

    private static final State WRITABLE = new State(null);

    private final Path dataDir;
    private final AtomicReference<State> state = new AtomicReference<>(WRITABLE);
    private volatile Supplier<CompletableFuture<?>> probeWrite;
    private ScheduledExecutorService prober; // guarded by this
    private boolean closed; // guarded by this
    private CompletableFuture<?> pendingProbe; // probe thread only

    /** @param dataDir the directory whose filesystem the probe measures */
    public StorageHealth(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The test write the probe commits; without one the probe checks free space only. */
    public void probeWith(Supplier<CompletableFuture<?>> write) {
        this.probeWrite = write;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True unless a storage-class failure was reported and no probe has cleared it since. */
    public boolean writable() {
        return state.get().reason() == null;
    }

    /** Why the node cannot write, for {@code /readyz} (no paths); null while writable. */
    public String reason() {
        return state.get().reason();
    }

    /**
     * Reports a failure seen while reading or writing storage. Storage-class failures (507, or a SQLite full, I/O,
     * read-only or permission error anywhere in the cause chain) make the node not writable; others are ignored.
     *
     * @param where what was being written, for the log only (it may name paths)
     */
    public void report(MyelinException failure, String where) {
        String reason = reasonFor(failure);
        if (reason == null) {
            return;
        }
        State previous = state.getAndSet(new State(reason));
        if (previous.reason() == null) {
            log.warn("storage is not writable ({}): {}; /readyz answers 503 until a probe write succeeds (data dir {},"
                    + " {} bytes usable)", where, failure.getMessage(), dataDir, FreeSpace.usableBytes(dataDir));
            startProber();
        } else {
            log.debug("storage still not writable ({}): {}", where, failure.getMessage());
        }
    }

    private static String reasonFor(MyelinException failure) {
        if (failure.kind() == ErrorKind.INSUFFICIENT_STORAGE) {
            return "disk full: writes fail for lack of space; ready again once the data dir's filesystem has "
                    + RESUME_FREE_BYTES + " bytes usable and a test write commits";
        }
        if (StorageErrors.isStorageClass(StorageErrors.primaryCode(failure)) || failure.getCause() instanceof IOException) {
            return "storage error: writes fail (" + failure.getMessage() + "); ready again once a test write commits";
        }
        return null;
    }

    private synchronized void startProber() {
        if (closed || prober != null) {
            return;
        }
        prober = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("myelin-storage-probe").daemon(true).unstarted(r));
        long ms = PROBE_INTERVAL.toMillis();
        prober.scheduleWithFixedDelay(this::probe, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One probe round (see the class comment). Never throws: a scheduled task that throws is never run again. */
    private void probe() {
        try {
            State seen = state.get();
            if (seen.reason() == null) {
                return;
            }
            long usable = FreeSpace.usableBytes(dataDir);
            if (usable >= 0 && usable < RESUME_FREE_BYTES) {
                return;
            }
            Supplier<CompletableFuture<?>> write = probeWrite;
            if (write != null && !probeWriteCommitted(write)) {
                return;
            }
            if (state.compareAndSet(seen, WRITABLE)) {
                log.info("storage is writable again ({} bytes usable in data dir {}); /readyz answers 200", usable, dataDir);
            }
        } catch (RuntimeException e) {
            log.warn("storage probe failed (will retry): {}", e.toString());
        }
    }

    /**
     * Submits a test write and waits for it up to the timeout. A write left pending by an earlier round is waited
     * for instead of queueing another, and its outcome only clears the next round (it may predate the failure seen).
     */
    private boolean probeWriteCommitted(Supplier<CompletableFuture<?>> write) {
        boolean fresh = pendingProbe == null;
        if (fresh) {
            pendingProbe = write.get();
        }
        try {
            pendingProbe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            pendingProbe = null;
            return fresh;
        } catch (TimeoutException e) {
            log.debug("storage probe write still pending after {}", PROBE_TIMEOUT);
            return false;
        } catch (ExecutionException e) {
            pendingProbe = null;
            log.debug("storage probe write failed: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
            return false;
        }
    }

    /** Stops the probe thread (if it ever started). */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            closed = true;
            p = prober;
        }
        if (p != null) {
            p.shutdownNow();
            try {
                p.awaitTermination(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
