package io.myelin.bench.agent;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Many suspended agents: {@code --devboxes} devboxes, each with one ACP broker mount on its own axon, each agent
 * started by one turn and then frozen ({@code POST /suspend}, waited for through {@code devbox.suspended}). Then the
 * memory and processes they hold (server RSS and threads, the agents' processes from {@code /proc}: count, states,
 * RSS), and a burst: one plain-message turn published to every axon at once (one connection each, released by one
 * latch), timed per devbox from its own publish to its agent's first {@code session/update}, and overall from the
 * first publish to the last first update.
 */
public final class WakeBurstWorkload {
    public record Settings(Endpoint endpoint, String agent, int devboxes, int setupConcurrency, boolean cancelTurns,
                           long serverPid) {}

    private static final Duration WAIT = Duration.ofSeconds(120);

    /** One devbox of the fleet. */
    private record Box(String axon, String devbox, AxonWatch watch) {}

    private WakeBurstWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        if (s.serverPid() <= 0) throw new IllegalArgumentException("wake-burst needs --server-pid (it reads /proc)");
        Held before = held(s.serverPid(), List.of());
        out.printf("wake-burst: starting %d devboxes with agent %s, one turn each, then suspending them%n",
                s.devboxes(), s.agent());
        List<Box> boxes = setUp(s);
        try {
            Held frozen = held(s.serverPid(), boxes);
            long t0 = burst(s, boxes, out, frozen, before);
            if (t0 < 0) throw new IOException("the burst failed");
        } finally {
            tearDown(s, boxes);
        }
    }

    private static List<Box> setUp(Settings s) throws Exception {
        List<Box> boxes = new ArrayList<>();
        Semaphore slots = new Semaphore(s.setupConcurrency());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Box>> futures = new ArrayList<>();
            for (int i = 0; i < s.devboxes(); i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try (HttpConnection http = new HttpConnection(s.endpoint())) {
                        return startOne(s, new AgentApi(http), n);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<Box> f : futures) boxes.add(f.get());
        }
        return boxes;
    }

    private static Box startOne(Settings s, AgentApi api, int n) throws Exception {
        String axon = api.createAxon("bench-burst-" + n);
        AxonWatch watch = AxonWatch.open(s.endpoint(), axon, 100_000);
        String devbox = api.createDevbox("bench-burst-" + n, axon, s.agent(), null);
        watch.await(0, e -> e.isSystem("devbox.running"), WAIT, "devbox.running");
        int mark = watch.mark();
        long seq = api.publishMessage(axon, "warm-up");
        if (s.cancelTurns()) {
            watch.await(mark, e -> e.isSessionUpdate() && e.sequence() > seq, WAIT, "session/update");
            api.publish(axon, "turn.cancel", "{}");
        }
        watch.await(mark, e -> e.endsTurn(seq), WAIT, "end of the warm-up turn");
        mark = watch.mark();
        api.suspend(devbox);
        watch.await(mark, e -> e.isSystem("devbox.suspended"), WAIT, "devbox.suspended");
        return new Box(axon, devbox, watch);
    }

    /** What the server and its agents hold at one instant. */
    private record Held(long serverRssKb, long serverThreads, int agentProcesses, int frozen, long agentRssKb,
                        long agentPssKb, int boxesWithAgent) {}

    private static Held held(long serverPid, List<Box> boxes) {
        List<ProcessTree.Proc> procs = ProcessTree.descendants(serverPid);
        long rss = 0;
        long pss = 0;
        int frozen = 0;
        for (ProcessTree.Proc p : procs) {
            rss += p.rssKb();
            pss += Math.max(0, ProcessTree.pssKb(p.pid()));
            if (p.frozen()) frozen++;
        }
        int withAgent = 0;
        for (Box b : boxes) if (!ProcessTree.ofDevbox(procs, b.devbox()).isEmpty()) withAgent++;
        return new Held(ProcessTree.rssKb(serverPid), ProcessTree.threads(serverPid), procs.size(), frozen, rss, pss, withAgent);
    }

    private static long burst(Settings s, List<Box> boxes, PrintStream out, Held frozen, Held before) throws Exception {
        int n = boxes.size();
        long[] sent = new long[n];
        long[] sequences = new long[n];
        int[] marks = new int[n];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<HttpConnection> connections = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> publishes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpConnection http = new HttpConnection(s.endpoint());
                connections.add(http);
                int k = i;
                publishes.add(pool.submit(() -> {
                    AgentApi api = new AgentApi(http);
                    byte[] body = AgentApi.body("message", "{\"text\":\"burst\"}");
                    http.get("/healthz"); // opens the connection before the gate
                    marks[k] = boxes.get(k).watch().mark();
                    ready.countDown();
                    go.await();
                    sent[k] = System.nanoTime();
                    sequences[k] = api.publishPrepared(boxes.get(k).axon(), body);
                    return null;
                }));
            }
            ready.await();
            go.countDown();
            for (Future<?> f : publishes) f.get();
        } finally {
            for (HttpConnection c : connections) c.close();
        }
        LongSamples perBox = new LongSamples(n);
        long firstSent = Long.MAX_VALUE;
        long lastArrived = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long seq = sequences[i];
            AxonEvent first = boxes.get(i).watch().await(marks[i], e -> e.isSessionUpdate() && e.sequence() > seq, WAIT,
                    "session/update after the burst");
            perBox.add(first.arrivedNanos() - sent[i]);
            firstSent = Math.min(firstSent, sent[i]);
            lastArrived = Math.max(lastArrived, first.arrivedNanos());
        }
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AgentApi api = new AgentApi(http);
            for (int i = 0; i < n; i++) {
                long seq = sequences[i];
                if (s.cancelTurns()) api.publish(boxes.get(i).axon(), "turn.cancel", "{}");
                boxes.get(i).watch().await(marks[i], e -> e.endsTurn(seq), WAIT, "end of the burst turn");
            }
        }
        Held awake = held(s.serverPid(), boxes);
        Percentiles p = Percentiles.of(perBox);
        double allMs = (lastArrived - firstSent) / 1e6;

        Table mem = new Table("state", "server RSS MiB", "server threads", "agent processes", "frozen", "agents RSS MiB",
                "agents PSS MiB", "PSS per agent MiB", "devboxes with an agent");
        mem.row("before", mib(before.serverRssKb()), before.serverThreads(), (long) before.agentProcesses(),
                (long) before.frozen(), mib(before.agentRssKb()), mib(before.agentPssKb()), "-", "-");
        for (var row : List.of(java.util.Map.entry(n + " suspended", frozen), java.util.Map.entry("after the burst", awake))) {
            Held h = row.getValue();
            mem.row(row.getKey(), mib(h.serverRssKb()), h.serverThreads(), (long) h.agentProcesses(), (long) h.frozen(),
                    mib(h.agentRssKb()), mib(h.agentPssKb()), mib(h.agentPssKb() / Math.max(1, h.agentProcesses())),
                    (long) h.boxesWithAgent());
        }
        mem.print(out);
        new Table("devboxes", "all first updates ms", "per devbox p50 ms", "p90", "p99", "max")
                .row((long) n, allMs, ms(p.p50()), ms(p.p90()), ms(p.p99()), ms(p.max())).print(out);
        new ResultLine("wake-burst").put("agent", s.agent()).put("devboxes", n)
                .put("server_rss_mib_before", mib(before.serverRssKb())).put("server_rss_mib_suspended", mib(frozen.serverRssKb()))
                .put("server_threads_before", before.serverThreads()).put("server_threads_suspended", frozen.serverThreads())
                .put("agent_processes_suspended", frozen.agentProcesses()).put("agent_processes_frozen", frozen.frozen())
                .put("agents_rss_mib_suspended", mib(frozen.agentRssKb()))
                .put("agents_pss_mib_suspended", mib(frozen.agentPssKb()))
                .put("agents_rss_mib_awake", mib(awake.agentRssKb()))
                .put("all_first_updates_ms", allMs).put("per_devbox_p50_ms", ms(p.p50()))
                .put("per_devbox_p90_ms", ms(p.p90())).put("per_devbox_p99_ms", ms(p.p99()))
                .put("per_devbox_max_ms", ms(p.max())).print(out);
        return firstSent;
    }

    private static void tearDown(Settings s, List<Box> boxes) {
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AgentApi api = new AgentApi(http);
            for (Box b : boxes) {
                try {
                    api.shutdown(b.devbox());
                    b.watch().close();
                } catch (IOException e) {
                    System.err.println("could not shut down devbox " + b.devbox() + ": " + e.getMessage());
                }
            }
        }
    }

    private static double mib(long kb) {
        return kb / 1024.0;
    }

    private static double ms(long nanos) {
        return Percentiles.millis(nanos);
    }
}
