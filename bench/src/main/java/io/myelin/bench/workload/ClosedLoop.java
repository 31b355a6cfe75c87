package io.myelin.bench.workload;

import io.myelin.bench.probe.CpuMeter;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs N workers, each issuing one request after another as fast as replies come back, for a
 * fixed duration. Workers are set up (connection, axon) before a common start signal so that
 * set-up cost stays out of the measured window.
 */
public final class ClosedLoop {
    private ClosedLoop() {}

    /** One request loop's unit of work. */
    public interface Worker extends AutoCloseable {
        /** Performs one request and returns how many events it carried. */
        int runOnce() throws Exception;

        @Override
        default void close() throws IOException {}
    }

    @FunctionalInterface
    public interface WorkerFactory {
        Worker create(int index) throws Exception;
    }

    public record Outcome(int workers, double seconds, long requests, long events, long errors,
                          Percentiles latency, String firstError, CpuMeter.Usage cpu) {
        public double eventsPerSecond() {
            return seconds == 0 ? 0 : events / seconds;
        }

        public double requestsPerSecond() {
            return seconds == 0 ? 0 : requests / seconds;
        }

        /** Events per second of server CPU: the efficiency figure least disturbed by other load. */
        public double eventsPerServerCpuSecond() {
            return cpu.serverCpuSeconds() > 0 ? events / cpu.serverCpuSeconds() : Double.NaN;
        }
    }

    public static Outcome run(int workers, Duration duration, WorkerFactory factory) throws Exception {
        return run(workers, duration, factory, new CpuMeter(-1));
    }

    /** As {@link #run(int, Duration, WorkerFactory)}, also metering CPU over the measured window. */
    public static Outcome run(int workers, Duration duration, WorkerFactory factory, CpuMeter meter) throws Exception {
        List<Worker> ready = new ArrayList<>(workers);
        try {
            for (int i = 0; i < workers; i++) ready.add(factory.create(i));
            return measure(ready, duration, meter);
        } finally {
            for (Worker w : ready) {
                try {
                    w.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private static Outcome measure(List<Worker> ready, Duration duration, CpuMeter meter) throws InterruptedException {
        int n = ready.size();
        CountDownLatch start = new CountDownLatch(1);
        LongSamples[] latencies = new LongSamples[n];
        long[] events = new long[n];
        long[] errors = new long[n];
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] startNanos = new long[1];
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int idx = i;
            latencies[i] = new LongSamples(1 << 14);
            Thread t = Thread.ofPlatform().name("closed-loop-" + i).daemon().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                Worker w = ready.get(idx);
                long deadline = startNanos[0] + duration.toNanos();
                LongSamples mine = latencies[idx];
                long t0;
                while ((t0 = System.nanoTime()) < deadline) {
                    try {
                        int done = w.runOnce();
                        mine.add(System.nanoTime() - t0);
                        events[idx] += done;
                    } catch (Exception e) {
                        errors[idx]++;
                        firstError.compareAndSet(null, e.toString());
                        // An error often comes back instantly; don't spin on a broken server.
                        sleepQuietly(10);
                    }
                }
            });
            threads.add(t);
        }
        CpuMeter.Sample cpuBefore = meter.sample();
        startNanos[0] = System.nanoTime();
        start.countDown();
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - startNanos[0]) / 1e9;
        CpuMeter.Usage cpu = CpuMeter.between(cpuBefore, meter.sample());
        LongSamples all = new LongSamples(Math.max(16, sum(latencies)));
        long totalEvents = 0;
        long totalErrors = 0;
        for (int i = 0; i < n; i++) {
            all.addAll(latencies[i]);
            totalEvents += events[i];
            totalErrors += errors[i];
        }
        return new Outcome(n, seconds, all.size(), totalEvents, totalErrors, Percentiles.of(all), firstError.get(), cpu);
    }

    private static int sum(LongSamples[] parts) {
        int s = 0;
        for (LongSamples p : parts) s += p.size();
        return s;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
