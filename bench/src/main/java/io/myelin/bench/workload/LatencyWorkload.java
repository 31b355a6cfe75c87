package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.sse.SseEvent;
import io.myelin.bench.sse.SseStream;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publish-to-delivery latency with N subscribers on one axon, at a fixed publish rate.
 *
 * <p>Publishing is open-loop: event i is due at {@code start + i / rate} whatever happened to
 * earlier events, and its due time (not the time it was actually sent) is what goes into the
 * payload. A server that stalls therefore shows up as latency instead of silently lowering
 * the offered load (the "coordinated omission" trap of closed-loop latency tests).
 */
public final class LatencyWorkload {
    public record Settings(Endpoint endpoint, int rate, List<Integer> subscribers, Duration duration,
                           int payloadBytes, int publishConnections, Duration drainTimeout) {}

    /** Result of one subscriber-count level. */
    public record LevelResult(int subscribers, int targetRate, double achievedRate, long published, long publishErrors,
                              long deliveries, long expectedDeliveries, long gaps, long duplicates,
                              Percentiles delivery, Percentiles ack, String firstError) {}

    private LatencyWorkload() {}

    public static List<LevelResult> run(Settings s, PrintStream out) throws Exception {
        List<LevelResult> results = new ArrayList<>();
        for (int subscribers : s.subscribers()) {
            out.printf("latency: %d subscriber(s), %d events/s for %d s%n", subscribers, s.rate(), s.duration().toSeconds());
            results.add(runLevel(s, subscribers));
        }
        print(s, results, out);
        return results;
    }

    private static LevelResult runLevel(Settings s, int subscriberCount) throws Exception {
        String axonId;
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            axonId = new AxonClient(http).createAxon("bench-latency-" + subscriberCount);
        }
        long total = Math.max(1, (long) s.rate() * s.duration().toSeconds());

        List<Subscriber> subscribers = new ArrayList<>(subscriberCount);
        try {
            for (int i = 0; i < subscriberCount; i++) {
                subscribers.add(new Subscriber(SseStream.open(s.endpoint(), AxonClient.subscribePath(axonId, 0), 16 * 1024), total));
            }
            for (Subscriber sub : subscribers) sub.start();

            Publishers pubs = new Publishers(s, axonId, total);
            pubs.runToCompletion();

            long expectedPerSubscriber = pubs.published.get();
            long drainDeadline = System.nanoTime() + s.drainTimeout().toNanos();
            while (System.nanoTime() < drainDeadline && !allReceived(subscribers, expectedPerSubscriber)) {
                Thread.sleep(20);
            }
            for (Subscriber sub : subscribers) sub.stop();

            LongSamples delivery = new LongSamples(1 << 16);
            long deliveries = 0;
            long gaps = 0;
            long dups = 0;
            String firstError = pubs.firstError.get();
            for (Subscriber sub : subscribers) {
                delivery.addAll(sub.latencies);
                deliveries += sub.received;
                gaps += sub.gaps;
                dups += sub.duplicates;
                if (firstError == null && sub.error != null) firstError = sub.error;
            }
            return new LevelResult(subscriberCount, s.rate(), pubs.achievedRate(), pubs.published.get(), pubs.errors.get(),
                    deliveries, expectedPerSubscriber * subscriberCount, gaps, dups,
                    Percentiles.of(delivery), Percentiles.of(pubs.mergedAck()), firstError);
        } finally {
            for (Subscriber sub : subscribers) sub.stop();
        }
    }

    private static boolean allReceived(List<Subscriber> subs, long expected) {
        for (Subscriber sub : subs) if (sub.received < expected) return false;
        return true;
    }

    /** Open-loop publishers sharing one schedule, interleaved over several connections. */
    private static final class Publishers {
        private final Settings s;
        private final String axonId;
        private final long total;
        final AtomicLong published = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        private final List<LongSamples> ack = new ArrayList<>();
        private long startNanos;
        private long endNanos;

        Publishers(Settings s, String axonId, long total) {
            this.s = s;
            this.axonId = axonId;
            this.total = total;
        }

        void runToCompletion() throws Exception {
            int k = (int) Math.min(s.publishConnections(), total);
            double periodNanos = 1e9 / s.rate();
            List<HttpConnection> conns = new ArrayList<>(k);
            try {
                for (int c = 0; c < k; c++) {
                    HttpConnection http = new HttpConnection(s.endpoint());
                    http.get("/healthz"); // open the socket before the clock starts
                    conns.add(http);
                    ack.add(new LongSamples(1 << 12));
                }
                startNanos = System.nanoTime() + 50_000_000L;
                List<Thread> threads = new ArrayList<>(k);
                for (int c = 0; c < k; c++) {
                    int lane = c;
                    threads.add(Thread.ofPlatform().name("latency-pub-" + c).daemon().start(
                            () -> publishLane(lane, k, periodNanos, new AxonClient(conns.get(lane)), ack.get(lane))));
                }
                for (Thread t : threads) t.join();
                endNanos = System.nanoTime();
            } finally {
                for (HttpConnection c : conns) c.close();
            }
        }

        private void publishLane(int lane, int lanes, double periodNanos, AxonClient client, LongSamples ackLatency) {
            for (long i = lane; i < total; i += lanes) {
                long due = startNanos + (long) (i * periodNanos);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                try {
                    client.publish(axonId, EventBodies.publish(PayloadClock.encode(due, s.payloadBytes())));
                    ackLatency.add(System.nanoTime() - due);
                    published.incrementAndGet();
                } catch (IOException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                }
            }
        }

        double achievedRate() {
            double seconds = (endNanos - startNanos) / 1e9;
            return seconds <= 0 ? 0 : published.get() / seconds;
        }

        LongSamples mergedAck() {
            return LongSamples.merge(ack);
        }
    }

    /** Reads one SSE stream on its own thread, timing every event against its embedded due time. */
    private static final class Subscriber {
        private final SseStream stream;
        final LongSamples latencies;
        volatile long received;
        long gaps;
        long duplicates;
        volatile String error;
        private volatile boolean stopping;
        private Thread thread;

        Subscriber(SseStream stream, long expected) {
            this.stream = stream;
            this.latencies = new LongSamples((int) Math.min(expected, 1 << 20));
        }

        void start() {
            thread = Thread.ofPlatform().name("latency-sub").daemon().start(this::readLoop);
        }

        private void readLoop() {
            long lastSeq = Long.MIN_VALUE;
            try {
                SseEvent e;
                while ((e = stream.next()) != null) {
                    long now = System.nanoTime();
                    if (e.isError()) {
                        error = "stream error event: " + e.data();
                        return;
                    }
                    long due = PayloadClock.decodeFromEventJson(e.data());
                    if (due != Long.MIN_VALUE) latencies.add(now - due);
                    long seq = e.id() == null ? Long.MIN_VALUE : Long.parseLong(e.id());
                    if (lastSeq != Long.MIN_VALUE && seq != Long.MIN_VALUE) {
                        if (seq <= lastSeq) duplicates++;
                        else if (seq > lastSeq + 1) gaps += seq - lastSeq - 1;
                    }
                    if (seq != Long.MIN_VALUE) lastSeq = Math.max(lastSeq, seq);
                    received++;
                }
                if (!stopping) error = "server closed the stream";
            } catch (IOException ex) {
                if (!stopping) error = ex.toString();
            }
        }

        void stop() throws InterruptedException {
            stopping = true;
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            if (thread != null) thread.join(5_000);
        }
    }

    private static void print(Settings s, List<LevelResult> results, PrintStream out) {
        out.println();
        out.printf("Publish-to-delivery latency (open loop, target %d events/s, %d B payload, %d publish connections)%n",
                s.rate(), s.payloadBytes(), s.publishConnections());
        Table t = new Table("subscribers", "achieved ev/s", "deliveries", "missing", "dups",
                "p50 ms", "p99 ms", "max ms", "ack p50 ms", "ack p99 ms", "pub errors");
        for (LevelResult r : results) {
            t.row(r.subscribers(), r.achievedRate(), r.deliveries(), r.expectedDeliveries() - r.deliveries(), r.duplicates(),
                    Percentiles.millis(r.delivery().p50()), Percentiles.millis(r.delivery().p99()),
                    Percentiles.millis(r.delivery().max()), Percentiles.millis(r.ack().p50()),
                    Percentiles.millis(r.ack().p99()), r.publishErrors());
        }
        t.print(out);
        for (LevelResult r : results) {
            if (r.firstError() != null) out.println("  first error (" + r.subscribers() + " subscribers): " + r.firstError());
        }
        for (LevelResult r : results) {
            new ResultLine("latency")
                    .put("subscribers", r.subscribers())
                    .put("target_rate", r.targetRate())
                    .put("achieved_rate", r.achievedRate())
                    .put("published", r.published())
                    .put("deliveries", r.deliveries())
                    .put("missing", r.expectedDeliveries() - r.deliveries())
                    .put("gaps", r.gaps())
                    .put("duplicates", r.duplicates())
                    .put("p50_ms", Percentiles.millis(r.delivery().p50()))
                    .put("p99_ms", Percentiles.millis(r.delivery().p99()))
                    .put("max_ms", Percentiles.millis(r.delivery().max()))
                    .put("ack_p50_ms", Percentiles.millis(r.ack().p50()))
                    .put("ack_p99_ms", Percentiles.millis(r.ack().p99()))
                    .put("publish_errors", r.publishErrors())
                    .print(out);
        }
    }
}
