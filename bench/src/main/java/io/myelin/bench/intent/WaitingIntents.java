package io.myelin.bench.intent;

import io.myelin.bench.probe.MemorySnapshot;
import io.myelin.bench.probe.ServerProbe;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.ParallelRequests;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Part one of the intents workload: create many waiting {@code human} intents whose deadlines lie far ahead (so
 * each is a stored timer, not yet due) over several keep-alive connections, and compare the server's live heap
 * after a full GC before and after. Create latency is per request, from write to parsed {@code 201}.
 */
final class WaitingIntents {
    /** What was measured; heap figures are -1 without a server pid. */
    record Result(int intents, int axons, int connections, double seconds, Percentiles createNanos,
                  MemorySnapshot before, MemorySnapshot after, String histogram) {
        double perSecond() {
            return seconds == 0 ? 0 : intents / seconds;
        }
    }

    private static final long DEADLINE_AHEAD_MS = 30L * 24 * 3600 * 1000;

    private WaitingIntents() {}

    static Result run(IntentsWorkload.Settings s, String tag, ServerProbe probe, PrintStream out) throws Exception {
        List<String> axons = IntentsWorkload.createAxons(s.endpoint(), "bench-intents-waiting-", s.waitingAxons());
        MemorySnapshot before = probe == null ? null : probe.snapshot();
        String kind = tag + ".approval";
        long deadline = System.currentTimeMillis() + DEADLINE_AHEAD_MS;
        long[] latency = new long[s.waitingIntents()];
        out.printf("intents: creating %,d waiting human intents (deadline in 30 days) over %d connections%n",
                s.waitingIntents(), s.connections());
        ParallelRequests.Done done = ParallelRequests.run(s.endpoint(), s.waitingIntents(), s.connections(), (client, i) -> {
            byte[] body = IntentBodies.human(kind, i, deadline);
            long t0 = System.nanoTime();
            new IntentApi(client.connection()).create(axons.get(i % axons.size()), body);
            latency[i] = System.nanoTime() - t0;
        });
        Arrays.sort(latency);
        MemorySnapshot after = probe == null ? null : probe.snapshot();
        String histogram = probe == null || s.classHistogramRows() <= 0 ? "" : probe.classHistogram(s.classHistogramRows());
        return new Result(s.waitingIntents(), axons.size(), s.connections(), done.seconds(), Percentiles.ofSorted(latency),
                before, after, histogram);
    }
}
