package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs read-only queries on a fixed set of platform threads, each owning one read-only connection.
 *
 * <p>Why platform threads: sqlite-jdbc is JNI, and a virtual thread inside a native call pins its carrier. HTTP
 * handlers run on virtual threads, so they hand reads to this pool and park until the answer is back; the
 * carriers stay free for other requests. WAL mode lets these readers run while the single writer commits; each
 * query sees the last committed state at the moment it starts.
 *
 * <p>Threading: {@link #read} may be called from any thread. Connections are confined to their pool thread.
 */
public final class ReadPool implements AutoCloseable {
    private final ExecutorService executor;
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final List<Connection> opened = new ArrayList<>();
    private final Supplier<Connection> opener;

    ReadPool(int threads, Supplier<Connection> opener) {
        this.opener = opener;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "myelin-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on a pool thread and waits for its result. */
    public <T> T read(SqlWork<T> work) {
        Future<T> f = executor.submit(() -> work.run(connectionForThisThread()));
        try {
            return f.get();
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
