package io.myelin.storage.sqlite;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs read-only queries on a fixed set of platform threads, each owning one read-only connection.
 *
 * <p>Why platform threads: sqlite-jdbc is JNI, and a virtual thread inside a native call pins its carrier. HTTP
 * handlers run on virtual threads, so they hand reads to this pool and park until the answer is back; the
 * carriers stay free for other requests. WAL mode lets these readers run while the single writer commits; each
 * query sees the last committed state at the moment it starts.
 *
 * <p>Bounded: at most {@code queueCapacity} reads wait for a thread; one more is refused at once with 503 and
 * {@code Retry-After} (explicit rejection, never an unbounded backlog). A caller waits at most {@code timeout} for
 * its answer, then gets 503; the read itself finishes on its thread and is dropped.
 *
 * <p>Threading: {@link #read} may be called from any thread. Connections are confined to their pool thread.
 */
public final class ReadPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadPool.class);

    private final ThreadPoolExecutor executor;
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final List<Connection> opened = new ArrayList<>();
    private final Supplier<Connection> opener;
    private final Duration timeout;

    ReadPool(int threads, int queueCapacity, Duration timeout, Supplier<Connection> opener) {
        this.opener = opener;
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = Thread.ofPlatform().name("myelin-read-" + n.incrementAndGet()).daemon(true).unstarted(r);
                    t.setUncaughtExceptionHandler((th, e) -> log.error("uncaught in {}", th.getName(), e));
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a pool thread and waits for its result.
     *
     * @throws MyelinException 503 with {@code Retry-After} when the queue is full or no answer came within the read
     *                         timeout; what {@code work} throws; 500 for an unexpected failure
     */
    public <T> T read(SqlWork<T> work) {
        Future<T> f;
        try {
            f = executor.submit(() -> work.run(connectionForThisThread()));
        } catch (RejectedExecutionException e) {
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "the server has " + executor.getQueue().size()
                    + " storage reads waiting, its limit (storage.read-queue): retry shortly")
                    .retry(true, Duration.ofSeconds(1)).nothingApplied();
        }
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "no answer from storage within "
                    + timeout.toMillis() + " ms (storage.read-timeout): retry shortly")
                    .retry(true, Duration.ofSeconds(1)).nothingApplied();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while reading storage");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MyelinException me) throw me;
            throw new MyelinException(ErrorKind.INTERNAL, null, "storage read failed: " + cause, cause);
        }
    }

    /** Reads waiting for a thread right now. */
    public int queued() {
        return executor.getQueue().size();
    }

    private Connection connectionForThisThread() throws SQLException {
        Connection c = connection.get();
        if (c == null) {
            c = opener.get();
            connection.set(c);
            synchronized (opened) { // rare: once per pool thread
                opened.add(c);
            }
        }
        return c;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        synchronized (opened) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing on shutdown: nothing useful to do
                }
            }
        }
    }
}
