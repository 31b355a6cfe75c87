package io.myelin.bench.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Counts a process's open file descriptors ({@code /proc/PID/fd}) on a background thread for as
 * long as it is open, keeping the highest count seen. Without a pid it measures nothing and
 * reports -1.
 */
public final class FdSampler implements AutoCloseable {
    private final long pid;
    private final AtomicLong max = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean running = true;

    public FdSampler(long pid, Duration interval) {
        this.pid = pid;
        if (pid <= 0) {
            thread = null;
            return;
        }
        sampleOnce();
        thread = Thread.ofPlatform().name("fd-sampler").daemon().start(() -> {
            while (running) {
                sampleOnce();
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Open descriptors of {@code pid} right now, or -1 when they cannot be read. */
    public static long count(long pid) {
        if (pid <= 0) return -1;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void sampleOnce() {
        long n = count(pid);
        max.accumulateAndGet(n, Math::max);
    }

    public long max() {
        return max.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
        if (pid > 0) sampleOnce();
    }
}
