package io.myelin.bench.sql;

import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.ClosedLoop;

/**
 * One measured SQL figure. {@code seconds} is NaN when requests were not issued back to back (the
 * cold-open samples), so no rate is derived from it; {@code maxFds} is -1 when not sampled.
 */
public record SqlFigure(String name, int clients, long requests, double seconds, long rows, Percentiles latency,
                        long errors, double serverCores, long maxFds, String firstError) {

    static SqlFigure of(String name, ClosedLoop.Outcome o, long maxFds) {
        return new SqlFigure(name, o.workers(), o.requests(), o.seconds(), o.events(), o.latency(), o.errors(),
                o.cpu().serverCores(), maxFds, o.firstError());
    }

    public double requestsPerSecond() {
        return requests / seconds;
    }

    public double rowsPerSecond() {
        return rows / seconds;
    }
}
