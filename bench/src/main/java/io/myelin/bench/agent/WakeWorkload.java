package io.myelin.bench.agent;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Wake latency of an agent on a devbox: from publishing a plain-message turn ({@code USER_EVENT message
 * {"text": ...}}) to the agent's first {@code session/update} {@code AGENT_EVENT} on the axon's SSE stream, for an
 * agent that is running, frozen ({@code POST /v1/devboxes/{id}/suspend}: its process group stopped) or shut down
 * ({@code after_idle {on_idle: shutdown}}: its process stopped; the wake starts it again and the broker restores the
 * session). Before each suspended sample the workload waits for the {@code devbox.suspended} event, and with
 * {@code --server-pid} it checks in {@code /proc} that the devbox's agent is really stopped (state T) or gone.
 *
 * <p>Besides the first update, each sample records when the publish was acknowledged, when {@code devbox.running}
 * and {@code turn.started} arrived, which shows where a slow wake spends its time. The agent's own start-up
 * (spawn to its {@code initialize} answer, no server involved) is measured in the same run.
 */
public final class WakeWorkload {
    /**
     * @param agent          the name of the agent in the server's {@code agents.binaries}
     * @param agentCommand   the same agent's command line, for the start-up figure (empty: not measured)
     * @param modes          any of {@code running}, {@code frozen}, {@code shutdown}
     * @param cancelTurns    publish {@code turn.cancel} after the first update (agents whose turns are long)
     */
    public record Settings(Endpoint endpoint, String agent, List<String> agentCommand, List<String> modes,
                           int samples, int shutdownSamples, int warmupTurns, int idleSeconds, boolean cancelTurns,
                           int startupSamples, long serverPid) {}

    private static final Duration WAIT = Duration.ofSeconds(60);

    private WakeWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        Table table = new Table("agent", "mode", "samples", "first update p50 ms", "p90", "p99", "max",
                "ack p50", "devbox.running p50", "turn.started p50", "turns failed", "agent before wake");
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AgentApi api = new AgentApi(http);
            for (String mode : s.modes()) {
                Mode m = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
                int n = m == Mode.SHUTDOWN ? s.shutdownSamples() : s.samples();
                out.printf("wake: agent %s, mode %s, %d samples%n", s.agent(), mode, n);
                ModeResult r = runMode(s, api, m, n, out);
                Percentiles first = Percentiles.of(r.firstUpdate);
                table.row(s.agent(), mode, (long) first.count(), ms(first.p50()), ms(first.p90()), ms(first.p99()),
                        ms(first.max()), ms(Percentiles.of(r.ack).p50()),
                        r.running.size() == 0 ? "-" : ms(Percentiles.of(r.running).p50()),
                        ms(Percentiles.of(r.started).p50()), (long) r.failedTurns, r.stateSummary(m));
                new ResultLine("wake").put("agent", s.agent()).put("mode", mode).put("samples", first.count())
                        .put("first_update_p50_ms", ms(first.p50())).put("first_update_p90_ms", ms(first.p90()))
                        .put("first_update_p99_ms", ms(first.p99())).put("first_update_max_ms", ms(first.max()))
                        .put("first_update_mean_ms", first.mean() / 1e6)
                        .put("ack_p50_ms", ms(Percentiles.of(r.ack).p50()))
                        .put("devbox_running_p50_ms", r.running.size() == 0 ? null : ms(Percentiles.of(r.running).p50()))
                        .put("turn_started_p50_ms", ms(Percentiles.of(r.started).p50()))
                        .put("turn_started_p99_ms", ms(Percentiles.of(r.started).p99()))
                        .put("failed_turns", r.failedTurns).put("agent_checked", r.checked)
                        .put("agent_as_expected", r.asExpected).print(out);
            }
        }
        table.print(out);
        if (!s.agentCommand().isEmpty() && s.startupSamples() > 0) startup(s, out);
    }

    private static void startup(Settings s, PrintStream out) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("myelin-bench-agent");
        LongSamples samples = new AgentProcessProbe(s.agentCommand(), dir, WAIT).startup(s.startupSamples());
        Percentiles p = Percentiles.of(samples);
        out.printf("agent start-up without the server (%s): spawn to the initialize answer, %d samples%n",
                String.join(" ", s.agentCommand()), p.count());
        new Table("agent", "samples", "p50 ms", "p90", "p99", "max").row(s.agent(), (long) p.count(), ms(p.p50()),
                ms(p.p90()), ms(p.p99()), ms(p.max())).print(out);
        new ResultLine("agent-startup").put("agent", s.agent()).put("samples", p.count()).put("p50_ms", ms(p.p50()))
                .put("p90_ms", ms(p.p90())).put("p99_ms", ms(p.p99())).put("max_ms", ms(p.max())).print(out);
    }

    private enum Mode { RUNNING, FROZEN, SHUTDOWN }

    /** Samples of one mode, in nanoseconds from just before the publish was written. */
    private static final class ModeResult {
        final LongSamples firstUpdate = new LongSamples();
        final LongSamples ack = new LongSamples();
        final LongSamples running = new LongSamples();
        final LongSamples started = new LongSamples();
        int failedTurns;
        int checked;
        int asExpected;

        String stateSummary(Mode m) {
            if (checked == 0) return "not checked";
            String expected = switch (m) {
                case RUNNING -> "running";
                case FROZEN -> "frozen";
                case SHUTDOWN -> "no process";
            };
            return asExpected + "/" + checked + " " + expected;
        }
    }

    private static ModeResult runMode(Settings s, AgentApi api, Mode mode, int samples, PrintStream out)
            throws Exception {
        String axon = api.createAxon("bench-wake-" + mode.name().toLowerCase(Locale.ROOT));
        ModeResult r = new ModeResult();
        try (AxonWatch watch = AxonWatch.open(s.endpoint(), axon, 1_000_000)) {
            AgentApi.AfterIdle afterIdle = mode == Mode.SHUTDOWN ? new AgentApi.AfterIdle(s.idleSeconds(), "shutdown") : null;
            String devbox = api.createDevbox("bench-wake-" + mode.name().toLowerCase(Locale.ROOT), axon, s.agent(), afterIdle);
            watch.await(0, e -> e.isSystem("devbox.running"), Duration.ofSeconds(120), "devbox.running");
            for (int i = 0; i < s.warmupTurns(); i++) turn(s, api, watch, axon, "warm-up " + i, mode, null);
            for (int i = 0; i < samples; i++) {
                int mark = watch.mark();
                if (mode == Mode.FROZEN) api.suspend(devbox);
                if (mode != Mode.RUNNING) {
                    // The frozen sample waits for its own suspend; the shut-down one for the idle timer's.
                    watch.await(mark, e -> e.isSystem("devbox.suspended"), WAIT, "devbox.suspended");
                }
                if (s.serverPid() > 0) checkAgent(s.serverPid(), devbox, mode, r);
                turn(s, api, watch, axon, "wake sample " + i, mode, r);
            }
            api.shutdown(devbox);
        }
        return r;
    }

    private static void checkAgent(long serverPid, String devbox, Mode mode, ModeResult r) {
        List<ProcessTree.Proc> procs = ProcessTree.ofDevbox(ProcessTree.descendants(serverPid), devbox);
        boolean ok = switch (mode) {
            case RUNNING -> !procs.isEmpty() && procs.stream().noneMatch(ProcessTree.Proc::frozen);
            case FROZEN -> !procs.isEmpty() && procs.stream().allMatch(ProcessTree.Proc::frozen);
            case SHUTDOWN -> procs.isEmpty();
        };
        r.checked++;
        if (ok) r.asExpected++;
    }

    /** One turn; {@code r} null: a warm-up, not recorded. */
    private static void turn(Settings s, AgentApi api, AxonWatch watch, String axon, String text, Mode mode,
                             ModeResult r) throws Exception {
        int mark = watch.mark();
        long t0 = System.nanoTime();
        long seq = api.publishMessage(axon, text);
        long acked = System.nanoTime();
        AxonEvent first = watch.await(mark, e -> e.isSessionUpdate() && e.sequence() > seq, WAIT,
                "session/update after #" + seq);
        if (s.cancelTurns()) api.publish(axon, "turn.cancel", "{}");
        AxonEvent end = watch.await(mark, e -> e.endsTurn(seq), WAIT, "end of turn_" + seq);
        AxonEvent started = watch.await(mark, e -> e.startsTurn(seq), WAIT, "turn.started of turn_" + seq);
        if (r == null) return;
        r.firstUpdate.add(first.arrivedNanos() - t0);
        r.ack.add(acked - t0);
        r.started.add(started.arrivedNanos() - t0);
        if (end.isSystem("turn.failed")) r.failedTurns++;
        if (mode != Mode.RUNNING) {
            AxonEvent running = watch.await(mark, e -> e.isSystem("devbox.running") && e.sequence() > seq, WAIT,
                    "devbox.running after #" + seq);
            r.running.add(running.arrivedNanos() - t0);
        }
    }

    static double ms(long nanos) {
        return Percentiles.millis(nanos);
    }
}
