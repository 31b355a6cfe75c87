package io.myelin.bench.intent;

import io.myelin.bench.http.H2Client;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.MemorySnapshot;
import io.myelin.bench.probe.ServerProbe;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.ParallelRequests;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part three of the intents workload: one long poll ({@code GET /v1/intents/{id}?wait_ms=}) on each of many waiting
 * intents, held at once as h2c streams over a few connections (see {@link H2Client}); once the server's
 * {@code myelin_intents_waiters} gauge shows them all parked, the server's live heap after a full GC is compared with
 * the figure before they were opened. Then every intent is resolved over keep-alive HTTP/1.1 connections, and each
 * poll's wake latency is measured: from just before its resolve request is written to its answer's last byte.
 *
 * <p>A poll the server turns away with 503 (its storage read queue or its waiter cap is full) is sent again after
 * its {@code Retry-After-Ms} or {@code Retry-After} (200 ms without either), as a client would, at most {@value #MAX_RETRIES} times; the retries
 * are counted.
 */
final class LongPolls {
    /** What was measured; heap figures are -1 without a server pid. */
    record Result(int polls, int sessions, double parkSeconds, long parked, long retries, MemorySnapshot before,
                  MemorySnapshot held, String histogram, double resolveSeconds, double allAnsweredSeconds,
                  Percentiles wakeNanos, int answeredEnded, int answeredWaiting, int failed, String firstFailure) {}

    static final int MAX_RETRIES = 50;

    private LongPolls() {}

    static Result run(IntentsWorkload.Settings s, String tag, ServerProbe probe, PrintStream out) throws Exception {
        List<String> axons = IntentsWorkload.createAxons(s.endpoint(), "bench-intents-polls-", s.pollAxons());
        String kind = tag + ".poll";
        long deadline = System.currentTimeMillis() + 30L * 24 * 3600 * 1000;
        String[] ids = new String[s.polls()];
        ParallelRequests.run(s.endpoint(), s.polls(), s.connections(), (client, i) ->
                ids[i] = new IntentApi(client.connection()).create(axons.get(i % axons.size()),
                        IntentBodies.human(kind, i, deadline)));
        MemorySnapshot before = probe == null ? null : probe.snapshot();
        try (HttpConnection http = new HttpConnection(s.endpoint());
             H2Client h2 = H2Client.connect(s.endpoint(), s.polls(), s.pollWait().plusSeconds(60), Duration.ofSeconds(30))) {
            IntentApi api = new IntentApi(http);
            long baseline = api.waiters();
            out.printf("intents: opening %,d long polls (wait_ms=%d) as h2c streams over %d connections%n",
                    s.polls(), s.pollWait().toMillis(), h2.sessions());
            long t0 = System.nanoTime();
            @SuppressWarnings("unchecked")
            CompletableFuture<H2Client.Answer>[] answers = new CompletableFuture[s.polls()];
            AtomicLong retries = new AtomicLong();
            for (int i = 0; i < ids.length; i++) {
                answers[i] = poll(h2, "/v1/intents/" + ids[i] + "?wait_ms=" + s.pollWait().toMillis(), retries, 0);
            }
            long parked = awaitParked(api, baseline + s.polls(), answers, t0 + s.pollWait().toNanos() / 2) - baseline;
            double parkSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf("intents: %,d parked after %.1f s (%,d retries after 503)%n", parked, parkSeconds, retries.get());
            MemorySnapshot held = probe == null ? null : probe.snapshot();
            String histogram = probe == null || s.classHistogramRows() <= 0 ? "" : probe.classHistogram(s.classHistogramRows());

            long[] sent = new long[ids.length];
            long r0 = System.nanoTime();
            ParallelRequests.Done resolved = ParallelRequests.run(s.endpoint(), ids.length, s.connections(), (client, i) -> {
                sent[i] = System.nanoTime();
                new IntentApi(client.connection()).approve(ids[i]);
            });
            CompletableFuture.allOf(answers).get(s.pollWait().toMillis() + 120_000, TimeUnit.MILLISECONDS);
            Result parkedOnly = new Result(s.polls(), h2.sessions(), parkSeconds, parked, retries.get(), before, held,
                    histogram, resolved.seconds(), 0, Percentiles.EMPTY, 0, 0, 0, null);
            return withAnswers(parkedOnly, r0, sent, answers);
        }
    }

    /** One long poll, sent again after a 503's {@code Retry-After}; completes with the first other answer. */
    private static CompletableFuture<H2Client.Answer> poll(H2Client h2, String path, AtomicLong retries, int attempt) {
        return h2.get(path).thenCompose(a -> {
            if (a.status() != 503 || attempt >= MAX_RETRIES) return CompletableFuture.completedFuture(a);
            retries.incrementAndGet();
            Executor later = CompletableFuture.delayedExecutor(a.retryAfterMs() < 0 ? 200 : a.retryAfterMs(),
                    TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> path, later).thenCompose(p -> poll(h2, p, retries, attempt + 1));
        });
    }

    /**
     * Polls the waiter gauge until it reaches {@code target} or a poll answers early (a failure), at most until
     * {@code giveUpNanos} (half the wait, so that the polls are still parked when the heap is read).
     */
    private static long awaitParked(IntentApi api, long target, CompletableFuture<H2Client.Answer>[] answers,
                                    long giveUpNanos) throws IOException, InterruptedException {
        long now = api.waiters();
        while (now < target && System.nanoTime() < giveUpNanos && Arrays.stream(answers).noneMatch(CompletableFuture::isDone)) {
            Thread.sleep(100);
            now = api.waiters();
        }
        return now;
    }

    /** {@code r} completed with what the answers say: wake latencies, how many ended, timed out or failed. */
    private static Result withAnswers(Result r, long r0, long[] sent, CompletableFuture<H2Client.Answer>[] answers) {
        long[] wake = new long[answers.length];
        int n = 0;
        int ended = 0;
        int waiting = 0;
        int failed = 0;
        String firstFailure = null;
        long last = r0;
        for (int i = 0; i < answers.length; i++) {
            H2Client.Answer a = answers[i].join();
            String body = new String(a.body(), StandardCharsets.UTF_8);
            if (!a.ok()) {
                failed++;
                if (firstFailure == null) firstFailure = a.failure() != null ? a.failure().toString() : a.status() + " " + body;
            } else if (body.contains("\"status\":\"waiting\"")) {
                waiting++; // the wait ran out before the resolve: not a wake
            } else {
                ended++;
                wake[n++] = a.nanos() - sent[i];
                last = Math.max(last, a.nanos());
            }
        }
        long[] sorted = Arrays.copyOf(wake, n);
        Arrays.sort(sorted);
        return new Result(r.polls(), r.sessions(), r.parkSeconds(), r.parked(), r.retries(), r.before(), r.held(),
                r.histogram(), r.resolveSeconds(), (last - r0) / 1e9, Percentiles.ofSorted(sorted), ended, waiting, failed,
                firstFailure);
    }
}
