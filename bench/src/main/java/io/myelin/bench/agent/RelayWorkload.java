package io.myelin.bench.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.CpuMeter;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.workload.AxonClient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker costs per relayed event. A fast agent ({@code acp-agent.mjs}: a prompt with {@code [chunks N]}
 * answers N {@code session/update} notifications as fast as node writes them) is prompted {@code --rounds} times;
 * each round is timed from the publish of the prompt until its {@code turn.completed} is on the SSE stream, and
 * its relayed {@code AGENT_EVENT}s are counted. Then the same events (the last round's payloads, verbatim) are
 * published by a client onto another axon, as batches of the broker's batch size over one connection and (the
 * first {@code --single-events} of them) as single events over {@code --publishers} connections, each timed until
 * the last one is on that axon's stream. The three paths take turns in every round; the medians are compared.
 * The agent alone (same prompt, no server) shows how fast the agent itself can write them.
 */
public final class RelayWorkload {
    public record Settings(Endpoint endpoint, String agent, List<String> agentCommand, int chunks, int rounds,
                           int batchSize, int publishers, int singleEvents, long serverPid) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(300);

    /** One timed path: events moved, seconds, and the server's CPU seconds meanwhile. */
    private record Run(String path, long events, double seconds, double serverCpuSeconds) {
        double rate() {
            return events / seconds;
        }
    }

    private RelayWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        CpuMeter cpu = new CpuMeter(s.serverPid());
        List<Run> relayed = new ArrayList<>();
        List<Run> batches = new ArrayList<>();
        List<Run> singles = new ArrayList<>();
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AgentApi api = new AgentApi(http);
            String axon = api.createAxon("bench-relay");
            String batchAxon = api.createAxon("bench-relay-batch");
            String singleAxon = api.createAxon("bench-relay-single");
            int singleEvents = Math.min(s.chunks(), s.singleEvents());
            try (AxonWatch watch = AxonWatch.open(s.endpoint(), axon, (s.rounds() + 1) * (s.chunks() + 100) + 1000);
                 AxonWatch batchWatch = AxonWatch.open(s.endpoint(), batchAxon, s.rounds() * s.chunks() + 100);
                 AxonWatch singleWatch = AxonWatch.open(s.endpoint(), singleAxon, s.rounds() * singleEvents + 100)) {
                String devbox = api.createDevbox("bench-relay", axon, s.agent(), null);
                watch.await(0, e -> e.isSystem("devbox.running"), WAIT, "devbox.running");
                prompt(api, watch, axon, 100); // warm-up: starts the agent and opens its session
                // The three paths take turns round by round, so drift in the machine's load hits them alike.
                for (int r = 1; r <= s.rounds(); r++) {
                    int from = watch.mark();
                    CpuMeter.Sample c0 = cpu.sample();
                    long t0 = System.nanoTime();
                    AxonEvent end = prompt(api, watch, axon, s.chunks());
                    CpuMeter.Sample c1 = cpu.sample();
                    List<String> payloads = new ArrayList<>(s.chunks());
                    for (AxonEvent e : watch.between(from, watch.indexOf(end, from))) if (e.isSessionUpdate()) payloads.add(e.payload());
                    if (payloads.size() != s.chunks()) throw new IllegalStateException("relayed " + payloads.size() + " updates, not " + s.chunks());
                    relayed.add(new Run("broker relay", payloads.size(), (end.arrivedNanos() - t0) / 1e9,
                            CpuMeter.between(c0, c1).serverCpuSeconds()));
                    batches.add(publishBatches(s, http, batchAxon, batchWatch, payloads, cpu));
                    singles.add(publishSingles(s, singleAxon, singleWatch, payloads.subList(0, singleEvents), cpu));
                    out.printf("relay: round %d: broker %,.0f, batch publish %,.0f, single publish %,.0f events/s%n", r,
                            relayed.getLast().rate(), batches.getLast().rate(), singles.getLast().rate());
                }
                api.shutdown(devbox);
            }
        }
        double alone = new AgentProcessProbe(s.agentCommand(), Files.createTempDirectory("myelin-bench-relay"), WAIT)
                .updatesPerSecond(s.chunks());

        Run relay = median(relayed);
        Run batch = median(batches);
        Run single = median(singles);
        Table t = new Table("path (median of " + s.rounds() + " rounds)", "events", "seconds", "events/s",
                "all rounds events/s", "server CPU ms per 1k events");
        t.row("broker relay (agent -> axon -> SSE)", relay.events(), relay.seconds(), relay.rate(), rates(relayed), cpuPer1k(relay));
        t.row("client publish, batches of " + s.batchSize(), batch.events(), batch.seconds(), batch.rate(), rates(batches), cpuPer1k(batch));
        t.row("client publish, single, " + s.publishers() + " connections", single.events(), single.seconds(), single.rate(),
                rates(singles), cpuPer1k(single));
        t.row("agent alone (no server)", (long) s.chunks(), s.chunks() / alone, alone, "-", "-");
        t.print(out);
        out.printf("relay/batch publish: %.2f   relay/single publish: %.2f   (medians)%n",
                relay.rate() / batch.rate(), relay.rate() / single.rate());
        new ResultLine("relay").put("agent", s.agent()).put("events_per_round", s.chunks()).put("rounds", s.rounds())
                .put("relay_events_per_s", relay.rate()).put("relay_rounds", rates(relayed))
                .put("relay_server_cpu_ms_per_1k", cpuPer1k(relay))
                .put("batch_events_per_s", batch.rate()).put("batch_rounds", rates(batches))
                .put("batch_server_cpu_ms_per_1k", cpuPer1k(batch))
                .put("single_events_per_s", single.rate()).put("single_rounds", rates(singles))
                .put("single_server_cpu_ms_per_1k", cpuPer1k(single))
                .put("agent_alone_events_per_s", alone)
                .put("ratio_relay_to_batch", relay.rate() / batch.rate())
                .put("ratio_relay_to_single", relay.rate() / single.rate()).print(out);
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Run::rate));
        return sorted.get(sorted.size() / 2);
    }

    private static String rates(List<Run> runs) {
        return String.join(" ", runs.stream().map(r -> String.format("%,.0f", r.rate())).toList());
    }

    /** Prompts with {@code [chunks n]} and returns the turn's end, once it is on the stream. */
    private static AxonEvent prompt(AgentApi api, AxonWatch watch, String axon, int n) throws Exception {
        int mark = watch.mark();
        long seq = api.publishMessage(axon, "[chunks " + n + "]");
        AxonEvent end = watch.await(mark, e -> e.endsTurn(seq), WAIT, "end of turn_" + seq);
        if (!end.isSystem("turn.completed")) throw new IllegalStateException("the relay turn failed: " + end.payload());
        return end;
    }

    private static byte[] event(String payload) {
        ObjectNode e = JSON.createObjectNode().put("event_type", "session/update").put("origin", "AGENT_EVENT")
                .put("source", "myelin-bench").put("payload", payload);
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Run publishBatches(Settings s, HttpConnection http, String axon, AxonWatch watch,
                                      List<String> payloads, CpuMeter cpu) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i += s.batchSize()) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode events = body.putArray("events");
            for (String p : payloads.subList(i, Math.min(payloads.size(), i + s.batchSize()))) {
                events.addObject().put("event_type", "session/update").put("origin", "AGENT_EVENT")
                        .put("source", "myelin-bench").put("payload", p);
            }
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        AxonClient client = new AxonClient(http);
        int mark = watch.mark();
        CpuMeter.Sample c0 = cpu.sample();
        long t0 = System.nanoTime();
        long last = 0;
        for (byte[] b : bodies) last = client.publishBatch(axon, b).lastSequence();
        long lastSeq = last;
        AxonEvent end = watch.await(mark, e -> e.sequence() == lastSeq, WAIT, "event #" + lastSeq);
        return new Run("batch", payloads.size(), (end.arrivedNanos() - t0) / 1e9,
                CpuMeter.between(c0, cpu.sample()).serverCpuSeconds());
    }

    private static Run publishSingles(Settings s, String axon, AxonWatch watch, List<String> payloads, CpuMeter cpu)
            throws Exception {
        List<byte[]> bodies = payloads.stream().map(RelayWorkload::event).toList();
        AtomicLong last = new AtomicLong();
        int mark = watch.mark();
        CpuMeter.Sample c0 = cpu.sample();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> parts = new ArrayList<>();
            for (int c = 0; c < s.publishers(); c++) {
                int first = c;
                parts.add(pool.submit(() -> {
                    try (HttpConnection http = new HttpConnection(s.endpoint())) {
                        AgentApi api = new AgentApi(http);
                        for (int i = first; i < bodies.size(); i += s.publishers()) {
                            last.accumulateAndGet(api.publishPrepared(axon, bodies.get(i)), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) f.get();
        }
        long lastSeq = last.get();
        AxonEvent end = watch.await(mark, e -> e.sequence() == lastSeq, WAIT, "event #" + lastSeq);
        return new Run("single", bodies.size(), (end.arrivedNanos() - t0) / 1e9,
                CpuMeter.between(c0, cpu.sample()).serverCpuSeconds());
    }

    private static double cpuPer1k(Run r) {
        return r.serverCpuSeconds() * 1000 / r.events() * 1000;
    }
}
