package io.myelin.bench.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for Axon SQL over real HTTP, run as its own process against a running server:
 *
 * <pre>java -cp bench/target/myelin-bench.jar io.myelin.bench.sql.SqlLoad --url http://127.0.0.1:7777 \
 *     --key $KEY [--axons 8] [--clients 16] [--seconds 10] [--rows 10000]</pre>
 *
 * Workloads, each for {@code --seconds} with {@code --clients} concurrent clients spread over {@code --axons}
 * axons (each with a {@code kv} table preloaded with {@code --rows} rows):
 * <ul>
 *   <li>{@code read}: {@code SELECT value FROM kv WHERE key = ?} on a random key (point read by primary key)</li>
 *   <li>{@code write}: {@code INSERT OR REPLACE INTO kv} of one row (one fsynced transaction per request)</li>
 *   <li>{@code batch10}: a batch of ten upserts (one transaction, one fsync)</li>
 *   <li>{@code scan}: {@code SELECT * FROM kv LIMIT 1000} (1,000 rows rendered to JSON)</li>
 * </ul>
 * Prints requests per second and latency percentiles for each; any non-200 answer is counted as an error.
 */
public final class SqlLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SqlLoad(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        SqlLoad load = new SqlLoad(URI.create(opt.getOrDefault("url", "http://127.0.0.1:7777")),
                require(opt, "key"));
        int axons = Integer.parseInt(opt.getOrDefault("axons", "8"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        int rows = Integer.parseInt(opt.getOrDefault("rows", "10000"));
        List<String> ids = load.prepare(axons, rows);
        System.out.printf("Axon SQL load: %d axons, %d clients, %d s per workload, %d rows per axon%n",
                axons, clients, seconds, rows);
        System.out.printf("%-8s %10s %9s %9s %9s %9s %7s%n", "workload", "req/s", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "errors");
        for (String workload : List.of("read", "write", "batch10", "scan")) {
            load.run(workload, ids, clients, seconds, rows);
        }
    }

    private List<String> prepare(int axons, int rows) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < axons; i++) {
            String id = post("/v1/axons", Map.of("name", "sql-load-" + i)).get("id").asText();
            ids.add(id);
            post("/v1/axons/" + id + "/sql/query",
                    Map.of("sql", "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
            for (int from = 0; from < rows; from += 1000) {
                int to = Math.min(rows, from + 1000);
                post("/v1/axons/" + id + "/sql/query", Map.of("sql", "INSERT INTO kv (key, value) WITH RECURSIVE"
                        + " c(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM c WHERE x + 1 < ?)"
                        + " SELECT 'k' || x, 'value-' || x FROM c", "params", List.of(from, to)));
            }
        }
        return ids;
    }

    private void run(String workload, List<String> ids, int clients, int seconds, int rows) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                String axon = ids.get(c % ids.size());
                results.add(pool.submit(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        if (!once(workload, axon, rows)) {
                            errors.incrementAndGet();
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
        }
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        for (Future<long[]> f : results) {
            long[] part = f.get();
            parts.add(part);
            total += part.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        Arrays.sort(all);
        System.out.printf("%-8s %10.0f %9.2f %9.2f %9.2f %9.2f %7d%n", workload, total / (double) seconds,
                pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                errors.get());
    }

    private boolean once(String workload, String axon, int rows) throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String path = "/v1/axons/" + axon + "/sql/";
        Object body = switch (workload) {
            case "read" -> Map.of("sql", "SELECT value FROM kv WHERE key = ?", "params", List.of("k" + rnd.nextInt(rows)));
            case "write" -> Map.of("sql", "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                    "params", List.of("k" + rnd.nextInt(rows), "v" + rnd.nextLong()));
            case "batch10" -> {
                List<Object> statements = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    statements.add(Map.of("sql", "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                            "params", List.of("k" + rnd.nextInt(rows), "v" + rnd.nextLong())));
                }
                yield Map.of("statements", statements);
            }
            case "scan" -> Map.of("sql", "SELECT * FROM kv LIMIT 1000");
            default -> throw new IllegalArgumentException(workload);
        };
        path += workload.equals("batch10") ? "batch" : "query";
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest request(String path, Object body) throws Exception {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private static String require(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
