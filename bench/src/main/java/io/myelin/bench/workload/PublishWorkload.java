package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.CpuMeter;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durable single-event publish throughput: N connections, each publishing to its own axon as
 * fast as acknowledgements return. Every acknowledged event has been fsynced by the server,
 * so this measures the durable write path including HTTP.
 */
public final class PublishWorkload {
    /** {@code serverPid} &le; 0: server CPU is not metered. */
    public record Settings(Endpoint endpoint, List<Integer> publishers, Duration duration, Duration warmup,
                           int payloadBytes, long serverPid) {}

    private PublishWorkload() {}

    public static List<ClosedLoop.Outcome> run(Settings s, PrintStream out) throws Exception {
        byte[] body = EventBodies.publish(EventBodies.filler(s.payloadBytes()));
        warmUp(s, body, out);
        List<OutcomeReport.Row> rows = new ArrayList<>();
        List<ClosedLoop.Outcome> outcomes = new ArrayList<>();
        for (int publishers : s.publishers()) {
            ClosedLoop.Outcome o = runLevel(s.endpoint(), publishers, s.duration(), body, new CpuMeter(s.serverPid()));
            outcomes.add(o);
            rows.add(new OutcomeReport.Row("myelin", "publish", o));
        }
        OutcomeReport.print(out, "Durable single-event publish (" + s.payloadBytes() + " B payload)", rows);
        return outcomes;
    }

    static void warmUp(Settings s, byte[] body, PrintStream out) throws Exception {
        if (s.warmup().isZero()) return;
        int c = s.publishers().stream().mapToInt(Integer::intValue).max().orElse(1);
        out.printf("warming up myelin publish: %d connections for %d s%n", c, s.warmup().toSeconds());
        runLevel(s.endpoint(), c, s.warmup(), body, new CpuMeter(-1));
    }

    public static ClosedLoop.Outcome runLevel(Endpoint endpoint, int publishers, Duration duration, byte[] body,
                                              CpuMeter meter) throws Exception {
        return ClosedLoop.run(publishers, duration, i -> {
            HttpConnection http = new HttpConnection(endpoint);
            AxonClient client = new AxonClient(http);
            String axonId = client.createAxon("bench-publish-" + publishers + "-" + i);
            return new ClosedLoop.Worker() {
                @Override
                public int runOnce() throws Exception {
                    client.publish(axonId, body);
                    return 1;
                }

                @Override
                public void close() {
                    http.close();
                }
            };
        }, meter);
    }
}
