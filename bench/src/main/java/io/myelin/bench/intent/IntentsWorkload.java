package io.myelin.bench.intent;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.MemorySnapshot;
import io.myelin.bench.probe.ServerProbe;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.AxonClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Intents at scale, in three parts run in this order (each leaves its intents in place, so later parts run with
 * the earlier ones stored): {@code waiting} — create rate of many waiting intents and the heap they cost;
 * {@code timers} — lateness of time intents spread over a window; {@code polls} — many long polls held at once,
 * their heap, and how fast they are answered once their intents are resolved. Every intent's {@code kind} carries a
 * tag unique to the run. Server heap is live heap after a full GC ({@code jcmd PID GC.run}, then
 * {@code GC.heap_info}; see {@link ServerProbe}), read only with {@code --server-pid}.
 */
public final class IntentsWorkload {
    /**
     * @param timerLead time from the first timer's create to the window's start; null: {@link TimerLateness#autoLead}
     */
    public record Settings(Endpoint endpoint, List<String> parts, int waitingIntents, int waitingAxons, int timers,
                           int timerAxons, Duration timerSpread, Duration timerLead, int polls, int pollAxons,
                           Duration pollWait, int connections, long serverPid, Path jcmd, int classHistogramRows) {}

    private IntentsWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        ServerProbe probe = s.serverPid() > 0 ? new ServerProbe(s.serverPid(), s.jcmd()) : null;
        if (probe == null) out.println("intents: no --server-pid given, memory will not be measured");
        String tag = "bench." + UUID.randomUUID().toString().substring(0, 8);
        double createRate = 0;
        for (String part : s.parts()) {
            switch (part) {
                case "waiting" -> {
                    WaitingIntents.Result r = WaitingIntents.run(s, tag, probe, out);
                    createRate = r.perSecond();
                    print(r, out);
                }
                case "timers" -> print(TimerLateness.run(s, tag, createRate, out), out);
                case "polls" -> print(LongPolls.run(s, tag, probe, out), out);
                default -> throw new IllegalArgumentException("unknown intents part: " + part + " (waiting, timers, polls)");
            }
        }
    }

    /** Creates {@code count} axons named {@code prefix + i}, on one connection; returns their ids in order. */
    static List<String> createAxons(Endpoint endpoint, String prefix, int count) throws IOException {
        List<String> ids = new ArrayList<>(count);
        try (HttpConnection http = new HttpConnection(endpoint)) {
            AxonClient client = new AxonClient(http);
            for (int i = 0; i < count; i++) ids.add(client.createAxon(prefix + i));
        }
        return ids;
    }

    private static void print(WaitingIntents.Result r, PrintStream out) {
        out.println();
        out.printf("Waiting intents: %,d human intents with a deadline 30 days ahead, over %d axons and %d connections%n",
                r.intents(), r.axons(), r.connections());
        Table t = new Table("intents", "seconds", "creates/s", "p50 ms", "p99 ms", "max ms", "heap before MiB",
                "heap after MiB", "heap/intent B", "RSS before MiB", "RSS after MiB");
        t.row(r.intents(), r.seconds(), r.perSecond(), Percentiles.millis(r.createNanos().p50()),
                Percentiles.millis(r.createNanos().p99()), Percentiles.millis(r.createNanos().max()),
                mib(heap(r.before())), mib(heap(r.after())), perItemBytes(heap(r.before()), heap(r.after()), r.intents()),
                mib(rss(r.before())), mib(rss(r.after())));
        t.print(out);
        if (!r.histogram().isEmpty()) {
            out.println("Server heap by class with them waiting (jcmd GC.class_histogram):");
            out.print(r.histogram());
        }
        new ResultLine("intents-waiting").put("intents", r.intents()).put("axons", r.axons())
                .put("connections", r.connections()).put("seconds", r.seconds()).put("creates_per_s", r.perSecond())
                .put("p50_ms", Percentiles.millis(r.createNanos().p50())).put("p99_ms", Percentiles.millis(r.createNanos().p99()))
                .put("max_ms", Percentiles.millis(r.createNanos().max()))
                .put("heap_before_kb", heap(r.before())).put("heap_after_kb", heap(r.after()))
                .put("heap_per_intent_bytes", perItemBytes(heap(r.before()), heap(r.after()), r.intents()))
                .put("rss_before_kb", rss(r.before())).put("rss_after_kb", rss(r.after())).print(out);
    }

    private static void print(TimerLateness.Result r, PrintStream out) {
        out.println();
        out.printf("Timer lateness: %,d time intents, fire_at_ms spread over %d s, window opening %.1f s after the first create%n",
                r.timers(), r.spread().toSeconds(), r.lead().toMillis() / 1000.0);
        Table t = new Table("timers", "create s", "created late", "fired", "not fired", "fired/s", "min ms", "p50 ms",
                "p99 ms", "max ms");
        t.row(r.timers(), r.createSeconds(), r.createdLate(), r.fired(), r.notFired(), r.firedPerSecond(), r.minLateMs(),
                r.lateMs().p50(), r.lateMs().p99(), r.lateMs().max());
        t.print(out);
        new ResultLine("intents-timers").put("timers", r.timers()).put("spread_s", r.spread().toSeconds())
                .put("lead_ms", r.lead().toMillis()).put("create_seconds", r.createSeconds()).put("created_late", r.createdLate())
                .put("fired", r.fired()).put("not_fired", r.notFired()).put("fired_per_s", r.firedPerSecond())
                .put("min_late_ms", r.minLateMs())
                .put("p50_late_ms", r.lateMs().p50()).put("p99_late_ms", r.lateMs().p99())
                .put("max_late_ms", r.lateMs().max()).print(out);
    }

    private static void print(LongPolls.Result r, PrintStream out) {
        out.println();
        out.printf("Long polls: %,d held at once as h2c streams over %d connections, then their intents resolved%n",
                r.polls(), r.sessions());
        Table t = new Table("parked", "park s", "503 retries", "heap before MiB", "heap held MiB", "heap/poll KiB", "RSS before MiB",
                "RSS held MiB", "resolve s", "all answered s", "wake p50 ms", "wake p99 ms", "wake max ms", "woken",
                "timed out", "failed");
        double perPoll = perItemBytes(heap(r.before()), heap(r.held()), r.parked()) / 1024;
        t.row(r.parked(), r.parkSeconds(), r.retries(), mib(heap(r.before())), mib(heap(r.held())), perPoll, mib(rss(r.before())),
                mib(rss(r.held())), r.resolveSeconds(), r.allAnsweredSeconds(), Percentiles.millis(r.wakeNanos().p50()),
                Percentiles.millis(r.wakeNanos().p99()), Percentiles.millis(r.wakeNanos().max()), r.answeredEnded(),
                r.answeredWaiting(), r.failed());
        t.print(out);
        if (r.firstFailure() != null) out.println("  first failure: " + r.firstFailure());
        if (!r.histogram().isEmpty()) {
            out.println("Server heap by class while the polls are parked (jcmd GC.class_histogram):");
            out.print(r.histogram());
        }
        new ResultLine("intents-polls").put("polls", r.polls()).put("sessions", r.sessions()).put("parked", r.parked())
                .put("park_seconds", r.parkSeconds()).put("retries_after_503", r.retries())
                .put("heap_before_kb", heap(r.before())).put("heap_held_kb", heap(r.held()))
                .put("heap_per_poll_kb", perPoll).put("rss_before_kb", rss(r.before())).put("rss_held_kb", rss(r.held()))
                .put("resolve_seconds", r.resolveSeconds()).put("all_answered_seconds", r.allAnsweredSeconds())
                .put("wake_p50_ms", Percentiles.millis(r.wakeNanos().p50())).put("wake_p99_ms", Percentiles.millis(r.wakeNanos().p99()))
                .put("wake_max_ms", Percentiles.millis(r.wakeNanos().max())).put("woken", r.answeredEnded())
                .put("timed_out", r.answeredWaiting()).put("failed", r.failed()).print(out);
    }

    private static long heap(MemorySnapshot m) {
        return m == null ? -1 : m.heapUsedKb();
    }

    private static long rss(MemorySnapshot m) {
        return m == null ? -1 : m.rssKb();
    }

    /** Bytes per item of the growth from {@code beforeKb} to {@code afterKb}; NaN when either is unknown. */
    static double perItemBytes(long beforeKb, long afterKb, long items) {
        if (beforeKb < 0 || afterKb < 0 || items <= 0) return Double.NaN;
        return (afterKb - beforeKb) * 1024.0 / items;
    }

    private static double mib(long kb) {
        return kb < 0 ? Double.NaN : kb / 1024.0;
    }
}
