package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.sse.SseEvent;
import io.myelin.bench.sse.SseStream;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Catch-up speed: load an axon with many events through batch publish, then time a single SSE
 * subscription from the beginning until the last event arrives. This is what a client that
 * reconnects after a long absence, or a new agent joining a long session, waits for.
 */
public final class ReplayWorkload {
    public record Settings(Endpoint endpoint, int events, int batchSize, int payloadBytes) {}

    public record Result(long events, double loadSeconds, double replaySeconds, double firstEventMillis,
                         long gaps, long duplicates) {
        public double loadRate() {
            return events / loadSeconds;
        }

        public double replayRate() {
            return events / replaySeconds;
        }
    }

    private ReplayWorkload() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        String axonId;
        long first;
        long last;
        long loadStart = System.nanoTime();
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AxonClient client = new AxonClient(http);
            axonId = client.createAxon("bench-replay");
            String payload = EventBodies.filler(s.payloadBytes());
            byte[] fullBatch = EventBodies.batch(payload, s.batchSize());
            first = Long.MIN_VALUE;
            last = Long.MIN_VALUE;
            int remaining = s.events();
            out.printf("replay: loading %,d events in batches of %d%n", s.events(), s.batchSize());
            while (remaining > 0) {
                int n = Math.min(remaining, s.batchSize());
                AxonClient.BatchResult r = client.publishBatch(axonId, n == s.batchSize() ? fullBatch : EventBodies.batch(payload, n));
                if (first == Long.MIN_VALUE) first = r.firstSequence();
                last = r.lastSequence();
                remaining -= n;
            }
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        long expected = last - first + 1;
        long t0 = System.nanoTime();
        long firstEventAt = 0;
        long count = 0;
        long gaps = 0;
        long dups = 0;
        long prev = first - 1;
        try (SseStream stream = SseStream.open(s.endpoint(), AxonClient.subscribePath(axonId, first - 1), 256 * 1024)) {
            SseEvent e;
            while ((e = stream.next()) != null) {
                if (e.isError()) throw new IOException("stream ended with an error event: " + e.data());
                if (count == 0) firstEventAt = System.nanoTime();
                long seq = Long.parseLong(e.id());
                if (seq <= prev) dups++;
                else if (seq > prev + 1) gaps += seq - prev - 1;
                prev = Math.max(prev, seq);
                count++;
                if (seq >= last) break;
            }
        }
        double replaySeconds = (System.nanoTime() - t0) / 1e9;
        if (prev < last) throw new IOException("stream ended at sequence " + prev + " before " + last);

        Result r = new Result(expected, loadSeconds, replaySeconds, (firstEventAt - t0) / 1e6, gaps, dups);
        out.println();
        out.printf("Replay of %,d events (%d B payload) over one SSE stream from the beginning%n", expected, s.payloadBytes());
        new Table("events", "load s", "load ev/s", "replay s", "replay ev/s", "first event ms", "gaps", "dups")
                .row(r.events(), r.loadSeconds(), r.loadRate(), r.replaySeconds(), r.replayRate(), r.firstEventMillis(), gaps, dups)
                .print(out);
        new ResultLine("replay")
                .put("events", r.events())
                .put("load_seconds", r.loadSeconds())
                .put("load_events_per_s", r.loadRate())
                .put("replay_seconds", r.replaySeconds())
                .put("replay_events_per_s", r.replayRate())
                .put("first_event_ms", r.firstEventMillis())
                .put("gaps", gaps)
                .put("duplicates", dups)
                .print(out);
        return r;
    }
}
