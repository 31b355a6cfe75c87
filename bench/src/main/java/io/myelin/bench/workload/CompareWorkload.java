package io.myelin.bench.workload;

import io.myelin.bench.probe.CpuMeter;
import io.myelin.bench.redis.DurableRedisConfig;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.Percentiles;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Myelin publish and Redis XADD back to back at each concurrency, so both see the same machine
 * state as nearly as a shared box allows, and the ratio ours/Redis is printed per level.
 */
public final class CompareWorkload {
    private CompareWorkload() {}

    public static void run(PublishWorkload.Settings ours, RedisWorkload.Settings redis, PrintStream out) throws Exception {
        byte[] body = EventBodies.publish(EventBodies.filler(ours.payloadBytes()));
        List<OutcomeReport.Row> rows = new ArrayList<>();
        Table ratios = new Table("conns", "myelin events/s", "redis events/s", "ratio", "myelin p99 ms", "redis p99 ms",
                "cpu-efficiency ratio");
        List<ResultLine> lines = new ArrayList<>();
        try (DurableRedisConfig durable = DurableRedisConfig.apply(redis.host(), redis.port())) {
            out.println("redis set to appendonly=yes appendfsync=always (was " + durable.describePrevious() + ")");
            PublishWorkload.warmUp(ours, body, out);
            RedisWorkload.warmUp(redis, out);
            for (int c : ours.publishers()) {
                ClosedLoop.Outcome m = PublishWorkload.runLevel(ours.endpoint(), c, ours.duration(), body,
                        new CpuMeter(ours.serverPid()));
                ClosedLoop.Outcome r = RedisWorkload.runLevel(redis, c, redis.duration());
                rows.add(new OutcomeReport.Row("myelin", "compare", m));
                rows.add(new OutcomeReport.Row("redis", "compare", r));
                double ratio = r.eventsPerSecond() == 0 ? 0 : m.eventsPerSecond() / r.eventsPerSecond();
                // Events per server CPU-second, ours over Redis's: steadier than wall-clock on a shared box.
                double cpuRatio = m.eventsPerServerCpuSecond() / r.eventsPerServerCpuSecond();
                ratios.row(c, m.eventsPerSecond(), r.eventsPerSecond(), ratio,
                        Percentiles.millis(m.latency().p99()), Percentiles.millis(r.latency().p99()), cpuRatio);
                lines.add(new ResultLine("compare-ratio").put("connections", c)
                        .put("myelin_events_per_s", m.eventsPerSecond()).put("redis_events_per_s", r.eventsPerSecond())
                        .put("ratio", ratio).put("cpu_efficiency_ratio", cpuRatio));
            }
        }
        OutcomeReport.print(out, "Durable publish: Myelin vs Redis XADD (appendfsync always), " + ours.payloadBytes() + " B payload", rows);
        out.println("Ratio ours/Redis (events/s)");
        ratios.print(out);
        for (ResultLine l : lines) l.print(out);
    }
}
