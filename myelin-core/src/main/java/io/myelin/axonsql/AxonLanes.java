package io.myelin.axonsql;

import io.myelin.concurrent.Deadline;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SQLite work serialized per axon and in parallel across axons, on a fixed pool of platform threads.
 *
 * <p>Why platform threads: sqlite-jdbc is JNI, and its native calls (and {@code synchronized} methods) pin a
 * virtual thread to its carrier for the whole statement. Callers on virtual threads hand the work over here
 * and block on a future instead, which unmounts them cleanly.
 *
 * <p>Algorithm: each axon with work has a lane, a FIFO of tasks plus a "scheduled" flag, kept in a
 * {@link ConcurrentHashMap}. Every change to a lane happens inside {@code lanes.compute(id, ...)}, which is
 * atomic per key: submit appends and, if the lane was not scheduled, schedules one drain on the pool; the
 * drain takes one task in another compute, runs it outside, and either reschedules itself (more tasks) or
 * removes the lane (empty) in the same atomic step, so a task can never be stranded in a lane nobody drains.
 * A drain runs one task and then goes to the back of the pool queue, so a busy axon cannot starve others,
 * and pool threads never block waiting for an axon: with N threads, N different axons run at once.
 *
 * <p>Back-pressure: tasks queued or running across all lanes are counted; beyond {@code maxPending} a submit
 * fails fast with 429 rather than queueing without bound.
 *
 * <p>Stack: SQLite recurses on the native stack of the thread that runs it, and an overflow there kills the
 * JVM. The threads get an explicit stack ({@code sql.thread-stack-size}, 64 MiB by default) instead of the JVM's
 * 1 MiB; {@link NativeStack} has the measurements behind its size and the limits that bound the recursion.
 */
final class AxonLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AxonLanes.class);

    /** A unit of work and the way to fail it without running it (when the pool is shut down). */
    private record Task(Runnable run, Runnable reject) {}

    private static final class Lane {
        final ArrayDeque<Task> tasks = new ArrayDeque<>();
        boolean scheduled;
    }

    private final ExecutorService pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final int maxPending;
    /**
     * Past its own deadlines, how much longer a caller waits for its work: time limits act only between SQLite
     * instructions (see AxonConnection), and a closing connection may checkpoint first.
     */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(30);
    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    /** @param stackBytes native stack of each thread, in bytes (see {@link NativeStack}) */
    AxonLanes(int threads, int maxPending, long stackBytes) {
        this.maxPending = maxPending;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = Thread.ofPlatform().name("myelin-sql-" + n.incrementAndGet()).daemon(true)
                    .stackSize(stackBytes).unstarted(r);
            t.setUncaughtExceptionHandler((th, e) -> log.error("uncaught in {}", th.getName(), e));
            return t;
        });
    }

    /** Runs {@code work} in the axon's lane and waits for it; MyelinExceptions pass through unchanged. */
    <T> T call(String axonId, Callable<T> work) {
        return call(axonId, null, null, work);
    }

    /**
     * Runs {@code work} in the axon's lane and waits for it. Work that has not started by {@code startBy} (the axon's
     * earlier work, or other axons' work on every SQL thread, kept it waiting), or whose client is gone when its
     * turn comes, never starts: the caller gets 503 marked {@link MyelinException#nothingApplied} (safe to retry)
     * as soon as the deadline passes, not when a thread frees up. Once started, the caller waits at most
     * {@code runBudget} plus a grace period more; past that it gets 503 with an unknown outcome (the work may still
     * finish).
     *
     * @param startBy   null: no start deadline
     * @param runBudget how long the work may run once started (its own limits stop it); null: no bound on the wait
     */
    <T> T call(String axonId, Deadline startBy, Duration runBudget, Callable<T> work) {
        // QUEUED -> STARTED by the lane, or QUEUED -> ABANDONED by the caller at its deadline: exactly one wins.
        AtomicInteger state = new AtomicInteger(QUEUED);
        CompletableFuture<T> f = submit(axonId, startBy == null ? work : () -> {
            if (startBy.clientGone()) {
                state.set(ABANDONED);
                throw new MyelinException(ErrorKind.UNAVAILABLE, null, "not executed: the client went away while the"
                        + " request waited for axon " + axonId + "'s earlier SQL work").nothingApplied();
            }
            if (startBy.passed() || !state.compareAndSet(QUEUED, STARTED)) {
                state.set(ABANDONED);
                throw notStarted(axonId);
            }
            return work.call();
        });
        try {
            if (startBy == null || runBudget == null) {
                return f.get();
            }
            try {
                return f.get(Math.max(0, startBy.remainingNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                if (state.compareAndSet(QUEUED, ABANDONED)) {
                    throw notStarted(axonId); // the lane skips it when its turn comes
                }
            }
            return f.get(runBudget.toNanos() + ANSWER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.error("SQL work for axon {} started but gave no answer within its time limit ({} ms) and {} s more;"
                    + " it may still complete", axonId, runBudget.toMillis(), ANSWER_GRACE.toSeconds());
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "no answer from axon " + axonId + "'s SQL work in"
                    + " time; its outcome is unknown").retry(false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for the SQL result of"
                    + " axon " + axonId + " (the statement may still complete)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MyelinException me) {
                throw me;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            log.error("SQL task for axon {} failed unexpectedly", axonId, cause);
            throw new MyelinException(ErrorKind.INTERNAL, null, "SQL execution failed for axon " + axonId + ": "
                    + cause, cause);
        }
    }

    private static MyelinException notStarted(String axonId) {
        return new MyelinException(ErrorKind.UNAVAILABLE, null, "not executed: the request waited longer than the"
                + " queue timeout (sql.queue-timeout) for axon " + axonId + "'s earlier SQL work or a free SQL thread;"
                + " nothing was applied, retry later").retry(true, Duration.ofSeconds(1)).nothingApplied();
    }

    <T> CompletableFuture<T> submit(String axonId, Callable<T> work) {
        return submit(axonId, work, false);
    }

    /**
     * @param exempt true for housekeeping that must never be refused (dropping a deleted axon's database): it is
     *               counted but not limited
     */
    <T> CompletableFuture<T> submit(String axonId, Callable<T> work, boolean exempt) {
        if (pending.incrementAndGet() > maxPending && !exempt) {
            pending.decrementAndGet();
            throw new MyelinException(ErrorKind.TOO_MANY_REQUESTS, null, "too many SQL requests in flight ("
                    + maxPending + " queued or running, sql.max-pending); retry later")
                    .retry(true, Duration.ofSeconds(1)).nothingApplied();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Task task = new Task(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            } finally {
                pending.decrementAndGet();
            }
        }, () -> {
            pending.decrementAndGet();
            f.completeExceptionally(new MyelinException(ErrorKind.UNAVAILABLE, null, "SQL engine is shutting down")
                    .nothingApplied());
        });
        boolean[] schedule = new boolean[1];
        lanes.compute(axonId, (id, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            l.tasks.addLast(task);
            if (!l.scheduled) {
                l.scheduled = true;
                schedule[0] = true;
            }
            return l;
        });
        if (schedule[0]) {
            schedule(axonId);
        }
        return f;
    }

    private void schedule(String axonId) {
        try {
            pool.execute(() -> drainOne(axonId));
        } catch (RejectedExecutionException e) {
            // Shutting down: fail everything still queued for this axon rather than leave callers waiting.
            lanes.compute(axonId, (id, lane) -> {
                if (lane != null) {
                    lane.tasks.forEach(t -> t.reject().run());
                }
                return null;
            });
        }
    }

    private void drainOne(String axonId) {
        Task[] next = new Task[1];
        lanes.compute(axonId, (id, lane) -> {
            next[0] = lane == null ? null : lane.tasks.pollFirst();
            return lane;
        });
        if (next[0] != null) {
            next[0].run().run();
        }
        boolean[] again = new boolean[1];
        lanes.compute(axonId, (id, lane) -> {
            if (lane == null || lane.tasks.isEmpty()) {
                return null; // removes the lane; the next submit creates and schedules a fresh one
            }
            again[0] = true;
            return lane;
        });
        if (again[0]) {
            schedule(axonId);
        }
    }

    int pending() {
        return pending.get();
    }

    /** Lets queued work finish, then stops the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("SQL threads still busy after 30 s; abandoning {} pending tasks", pending.get());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
