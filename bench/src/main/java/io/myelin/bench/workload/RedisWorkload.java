package io.myelin.bench.workload;

import io.myelin.bench.probe.CpuMeter;
import io.myelin.bench.redis.DurableRedisConfig;
import io.myelin.bench.redis.RespConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer for {@link PublishWorkload}: Redis Streams {@code XADD} with an fsync-always AOF, one
 * connection and one stream per publisher, the same payload. It answers "what does a durable
 * append cost on this machine with a mature, minimal server".
 */
public final class RedisWorkload {
    public record Settings(String host, int port, List<Integer> publishers, Duration duration, Duration warmup,
                           int payloadBytes) {}

    private RedisWorkload() {}

    public static List<ClosedLoop.Outcome> run(Settings s, PrintStream out) throws Exception {
        List<OutcomeReport.Row> rows = new ArrayList<>();
        List<ClosedLoop.Outcome> outcomes = new ArrayList<>();
        try (DurableRedisConfig durable = DurableRedisConfig.apply(s.host(), s.port())) {
            out.println("redis set to appendonly=yes appendfsync=always (was " + durable.describePrevious() + ")");
            warmUp(s, out);
            for (int publishers : s.publishers()) {
                ClosedLoop.Outcome o = runLevel(s, publishers, s.duration());
                outcomes.add(o);
                rows.add(new OutcomeReport.Row("redis", "publish", o));
            }
        }
        OutcomeReport.print(out, "Redis XADD, appendfsync always (" + s.payloadBytes() + " B payload)", rows);
        return outcomes;
    }

    static void warmUp(Settings s, PrintStream out) throws Exception {
        if (s.warmup().isZero()) return;
        int c = s.publishers().stream().mapToInt(Integer::intValue).max().orElse(1);
        out.printf("warming up redis XADD: %d connections for %d s%n", c, s.warmup().toSeconds());
        runLevel(s, c, s.warmup(), new CpuMeter(-1));
    }

    /** Caller is responsible for the durability settings (see {@link DurableRedisConfig}). */
    public static ClosedLoop.Outcome runLevel(Settings s, int publishers, Duration duration) throws Exception {
        return runLevel(s, publishers, duration, new CpuMeter(redisPid(s)));
    }

    private static ClosedLoop.Outcome runLevel(Settings s, int publishers, Duration duration, CpuMeter meter) throws Exception {
        byte[] payload = EventBodies.filler(s.payloadBytes()).getBytes(StandardCharsets.US_ASCII);
        String run = Long.toString(System.nanoTime(), 36);
        return ClosedLoop.run(publishers, duration, i -> {
            RespConnection redis = new RespConnection(s.host(), s.port());
            String key = "myelin-bench:" + run + ":" + i;
            // Same fields as an axon event, so both servers store comparable records.
            byte[] command = RespConnection.encode("XADD", key, "*",
                    "event_type", "bench", "origin", "AGENT_EVENT", "source", "myelin-bench", "payload", payload);
            return new ClosedLoop.Worker() {
                @Override
                public int runOnce() throws Exception {
                    redis.send(command);
                    return 1;
                }

                @Override
                public void close() throws IOException {
                    try (redis) {
                        redis.command("DEL", key); // leave the instance as we found it
                    }
                }
            };
        }, meter);
    }

    /** Redis runs on this host (the bench targets loopback only): its pid lets us meter its CPU. */
    static long redisPid(Settings s) {
        try (RespConnection c = new RespConnection(s.host(), s.port())) {
            for (String line : String.valueOf(c.command("INFO", "server")).split("\r?\n")) {
                if (line.startsWith("process_id:")) return Long.parseLong(line.substring("process_id:".length()).trim());
            }
        } catch (Exception e) {
            // CPU is then simply not reported
        }
        return -1;
    }
}
