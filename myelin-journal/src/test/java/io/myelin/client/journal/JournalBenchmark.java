package io.myelin.client.journal;

import io.myelin.client.MyelinClient;
import io.myelin.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round-trip latency of {@link Journal#step} on the SQLite and remote backends (docs/benchmarks.md "Step journal"),
 * run only when asked ({@code -Djournal.bench=true}): one caller, one step at a time. A first run of a step reads and
 * records it (a miss); a second run replays it (a hit). The remote backend talks to a server in a child JVM over
 * loopback. It measures; it asserts nothing about speed.
 */
@EnabledIfSystemProperty(named = "journal.bench", matches = "true")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class JournalBenchmark {
    static final int WARMUP = Integer.getInteger("journal.bench.warmup", 1000);
    static final int STEPS = Integer.getInteger("journal.bench.steps", 5000);
    /** A model call's answer of about 1 KiB. */
    static final Map<String, Object> RESULT = Map.of("text", "x".repeat(900), "usage", Map.of("in", 512, "out", 128));

    @TempDir
    Path dir;

    @Test
    void sqlite() {
        try (Journal journal = Journal.sqlite(dir.resolve("journal.db"))) {
            measure("sqlite", journal);
        }
    }

    @Test
    void remote() throws Exception {
        try (ServerProcess server = ServerProcess.onClasspath().dataDir(Files.createDirectories(dir.resolve("data")))
                .jvmOptions("-Xmx1g").start();
             MyelinClient client = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                     .build()) {
            String axon = client.axons().create("journal-bench", Map.of()).id();
            try (Journal journal = Journal.remote(client, axon)) {
                measure("remote", journal);
            }
        }
    }

    private static void measure(String backend, Journal journal) {
        run(journal, "warm", WARMUP, new long[WARMUP]);
        run(journal, "warm", WARMUP, new long[WARMUP]);
        long[] miss = new long[STEPS];
        long[] hit = new long[STEPS];
        run(journal, "step", STEPS, miss);
        run(journal, "step", STEPS, hit);
        report(backend, "record (miss)", miss);
        report(backend, "replay (hit)", hit);
    }

    private static void run(Journal journal, String prefix, int n, long[] nanos) {
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            journal.step("bench", prefix + "_" + i, Map.class, () -> RESULT);
            nanos[i] = System.nanoTime() - start;
        }
    }

    private static void report(String backend, String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT {\"backend\":\"%s\",\"op\":\"%s\",\"n\":%d,\"p50_ms\":%.3f,"
                + "\"p99_ms\":%.3f,\"max_ms\":%.3f}%n", backend, what, sorted.length, at(sorted, 0.50),
                at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
