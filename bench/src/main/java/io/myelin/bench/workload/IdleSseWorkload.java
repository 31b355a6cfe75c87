package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.MemorySnapshot;
import io.myelin.bench.probe.ServerProbe;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.sse.SseEvent;
import io.myelin.bench.sse.SseStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What an idle subscriber costs the server: open many SSE subscriptions spread over axons,
 * hold them, and compare the server's RSS and live heap with the figures before opening.
 *
 * <p>Each subscription is a blocking socket read on a virtual thread with a 1 KiB buffer, so
 * ten thousand of them cost the generator little; opening is throttled so that the server's
 * accept backlog is not the thing being measured.
 */
public final class IdleSseWorkload {
    public record Settings(Endpoint endpoint, int subscribers, int axons, Duration hold, long serverPid,
                           Path jcmd, int openConcurrency, int classHistogramRows) {}

    private IdleSseWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        ServerProbe probe = s.serverPid() > 0 ? new ServerProbe(s.serverPid(), s.jcmd()) : null;
        if (probe == null) out.println("idle-sse: no --server-pid given, memory will not be measured");
        MemorySnapshot before = probe == null ? null : probe.snapshot();

        List<String> axonIds = new ArrayList<>(s.axons());
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AxonClient client = new AxonClient(http);
            for (int i = 0; i < s.axons(); i++) axonIds.add(client.createAxon("bench-idle-" + i));
        }

        ConcurrentLinkedQueue<SseStream> open = new ConcurrentLinkedQueue<>();
        AtomicLong opened = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch settled = new CountDownLatch(s.subscribers());
        Semaphore inFlight = new Semaphore(s.openConcurrency());
        AtomicBoolean stopping = new AtomicBoolean();

        out.printf("idle-sse: opening %,d subscriptions over %,d axons%n", s.subscribers(), s.axons());
        long t0 = System.nanoTime();
        for (int i = 0; i < s.subscribers(); i++) {
            String path = AxonClient.subscribePath(axonIds.get(i % axonIds.size()), 0);
            Thread.ofVirtual().start(() -> {
                SseStream stream;
                try {
                    inFlight.acquire();
                    try {
                        stream = openWithRetry(s.endpoint(), path);
                    } finally {
                        inFlight.release();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                    settled.countDown();
                    return;
                }
                open.add(stream);
                opened.incrementAndGet();
                settled.countDown();
                holdOpen(stream, stopping, dropped, firstError);
            });
        }
        boolean allSettled = settled.await(5, TimeUnit.MINUTES);
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("idle-sse: %,d open, %,d failed in %.1f s%s; holding %d s%n", opened.get(), failed.get(), openSeconds,
                allSettled ? "" : " (gave up waiting)", s.hold().toSeconds());
        Thread.sleep(s.hold().toMillis());
        long liveAtMeasure = opened.get() - dropped.get();
        MemorySnapshot after = probe == null ? null : probe.snapshot();
        String histogram = probe == null || s.classHistogramRows() <= 0 ? "" : probe.classHistogram(s.classHistogramRows());
        long liveAfterMeasure = opened.get() - dropped.get();

        stopping.set(true);
        for (SseStream stream : open) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        if (!histogram.isEmpty()) {
            out.println();
            out.println("Server heap by class while holding the subscriptions (jcmd GC.class_histogram):");
            out.print(histogram);
        }
        print(s, out, opened.get(), failed.get(), dropped.get(), Math.min(liveAtMeasure, liveAfterMeasure), openSeconds,
                before, after, firstError.get());
    }

    private static SseStream openWithRetry(Endpoint endpoint, String path) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return SseStream.open(endpoint, path, 1024);
            } catch (IOException e) {
                last = e;
                Thread.sleep(50L << attempt);
            }
        }
        throw last;
    }

    /** Blocks on the stream until it ends; any end before we close it is a dropped subscription. */
    private static void holdOpen(SseStream stream, AtomicBoolean stopping,
                                 AtomicLong dropped, AtomicReference<String> firstError) {
        try {
            SseEvent e;
            while ((e = stream.next()) != null) {
                if (e.isError()) {
                    firstError.compareAndSet(null, "stream error event: " + e.data());
                    break;
                }
            }
        } catch (IOException e) {
            if (!stopping.get()) firstError.compareAndSet(null, e.toString());
        }
        if (!stopping.get()) dropped.incrementAndGet();
    }

    private static void print(Settings s, PrintStream out, long opened, long failed, long dropped, long live,
                              double openSeconds, MemorySnapshot before, MemorySnapshot after, String firstError) {
        out.println();
        out.printf("Idle SSE subscriptions: %,d requested over %,d axons, held %d s%n", s.subscribers(), s.axons(), s.hold().toSeconds());
        Table t = new Table("live", "failed", "dropped", "open s", "RSS before MiB", "RSS after MiB", "RSS/conn KiB",
                "heap before MiB", "heap after MiB", "heap/conn KiB");
        double rssPer = perConnectionKb(before == null ? -1 : before.rssKb(), after == null ? -1 : after.rssKb(), live);
        double heapPer = perConnectionKb(before == null ? -1 : before.heapUsedKb(), after == null ? -1 : after.heapUsedKb(), live);
        t.row(live, failed, dropped, openSeconds,
                mib(before == null ? -1 : before.rssKb()), mib(after == null ? -1 : after.rssKb()), rssPer,
                mib(before == null ? -1 : before.heapUsedKb()), mib(after == null ? -1 : after.heapUsedKb()), heapPer);
        t.print(out);
        if (firstError != null) out.println("  first error: " + firstError);
        ResultLine line = new ResultLine("idle-sse")
                .put("requested", s.subscribers())
                .put("axons", s.axons())
                .put("live", live)
                .put("failed", failed)
                .put("dropped", dropped)
                .put("open_seconds", openSeconds);
        if (before != null && after != null) {
            line.put("rss_before_kb", before.rssKb()).put("rss_after_kb", after.rssKb()).put("rss_per_conn_kb", rssPer)
                    .put("heap_before_kb", before.heapUsedKb()).put("heap_after_kb", after.heapUsedKb())
                    .put("heap_per_conn_kb", heapPer).put("heap_committed_after_kb", after.heapCommittedKb());
        }
        line.print(out);
    }

    private static double perConnectionKb(long beforeKb, long afterKb, long live) {
        if (beforeKb < 0 || afterKb < 0 || live <= 0) return Double.NaN;
        return (afterKb - beforeKb) / (double) live;
    }

    private static double mib(long kb) {
        return kb < 0 ? Double.NaN : kb / 1024.0;
    }
}
