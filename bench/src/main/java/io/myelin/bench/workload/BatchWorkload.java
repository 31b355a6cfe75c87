package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.CpuMeter;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Batch publish throughput: each request appends {@code batchSize} events atomically. */
public final class BatchWorkload {
    public record Settings(Endpoint endpoint, List<Integer> publishers, int batchSize, Duration duration,
                           Duration warmup, int payloadBytes, long serverPid) {}

    private BatchWorkload() {}

    public static List<ClosedLoop.Outcome> run(Settings s, PrintStream out) throws Exception {
        byte[] body = EventBodies.batch(EventBodies.filler(s.payloadBytes()), s.batchSize());
        verifyBatchShape(s, body);
        if (!s.warmup().isZero()) {
            out.printf("warming up myelin batch publish for %d s%n", s.warmup().toSeconds());
            runLevel(s, s.publishers().getFirst(), s.warmup(), body, new CpuMeter(-1));
        }
        List<OutcomeReport.Row> rows = new ArrayList<>();
        List<ClosedLoop.Outcome> outcomes = new ArrayList<>();
        for (int publishers : s.publishers()) {
            ClosedLoop.Outcome o = runLevel(s, publishers, s.duration(), body, new CpuMeter(s.serverPid()));
            outcomes.add(o);
            rows.add(new OutcomeReport.Row("myelin", "batch", o));
        }
        OutcomeReport.print(out, "Batch publish (" + s.batchSize() + " events x " + s.payloadBytes() + " B per request)", rows);
        return outcomes;
    }

    /** One checked request up front: the loop itself only looks at status codes. */
    private static void verifyBatchShape(Settings s, byte[] body) throws Exception {
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AxonClient client = new AxonClient(http);
            String axonId = client.createAxon("bench-batch-check");
            AxonClient.BatchResult result = client.publishBatch(axonId, body);
            if (result.count() != s.batchSize() || !result.contiguous()) {
                throw new IllegalStateException("a batch of " + s.batchSize() + " was answered with " + result);
            }
        }
    }

    private static ClosedLoop.Outcome runLevel(Settings s, int publishers, Duration duration, byte[] body, CpuMeter meter)
            throws Exception {
        return ClosedLoop.run(publishers, duration, i -> {
            HttpConnection http = new HttpConnection(s.endpoint());
            AxonClient client = new AxonClient(http);
            String axonId = client.createAxon("bench-batch-" + publishers + "-" + i);
            return new ClosedLoop.Worker() {
                @Override
                public int runOnce() throws Exception {
                    client.publishBatchUnchecked(axonId, body);
                    return s.batchSize();
                }

                @Override
                public void close() {
                    http.close();
                }
            };
        }, meter);
    }
}
