package io.myelin.bench.list;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.AxonClient;
import io.myelin.bench.workload.ParallelRequests;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Listing at scale: create many axons concurrently, then page through all of them with each page
 * size, with the total count (the server's default) and without, unfiltered and with a metadata
 * filter matching every axon of this run or 1% of them. The filters carry a tag unique to the run,
 * so earlier axons on the same server do not change what they match. One unmeasured walk first
 * lets the server's JIT settle, so the first measured walk is not the slowest for that reason alone.
 */
public final class ListWorkload {
    public record Settings(Endpoint endpoint, int axons, int connections, List<Integer> limits) {}

    private static final int SHARDS = 100;
    private static final int PICKED_SHARD = 7;

    private ListWorkload() {}

    public static List<PageWalk.Result> run(Settings s, PrintStream out) throws Exception {
        String tag = "run-" + UUID.randomUUID().toString().substring(0, 8);
        out.printf("list: creating %,d axons over %d connections (metadata bench_run=%s)%n", s.axons(), s.connections(), tag);
        ParallelRequests.Done created = ParallelRequests.run(s.endpoint(), s.axons(), s.connections(), (client, i) ->
                client.createAxon("bench-list-" + i, Map.of("bench_run", tag, "shard", shard(tag, i % SHARDS))));
        out.printf("list: created %,d axons in %.1f s (%,.0f axons/s)%n", created.count(), created.seconds(), created.perSecond());
        new ResultLine("list-create").put("axons", created.count()).put("connections", created.connections())
                .put("seconds", created.seconds()).put("axons_per_s", created.perSecond()).print(out);

        List<PageWalk.Result> results = new ArrayList<>();
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AxonClient client = new AxonClient(http);
            out.println("list: warming up with one unmeasured walk (limit=100, total count off)");
            PageWalk.walk(client, new ListVariant(100, false, null, s.axons()));
            for (ListVariant v : variants(s, tag)) {
                out.printf("list: limit=%d, total count %s, filter %s%n", v.limit(), v.totalCount() ? "on" : "off", v.filterLabel());
                results.add(PageWalk.walk(client, v));
            }
        }
        print(out, s, results);
        return results;
    }

    static List<ListVariant> variants(Settings s, String tag) {
        long picked = 0;
        for (int i = 0; i < s.axons(); i++) if (i % SHARDS == PICKED_SHARD) picked++;
        List<ListVariant.Filter> filters = new ArrayList<>();
        filters.add(null);
        filters.add(new ListVariant.Filter("all of the run", "bench_run", tag));
        filters.add(new ListVariant.Filter("1% of the run", "shard", shard(tag, PICKED_SHARD)));
        List<ListVariant> out = new ArrayList<>();
        for (int limit : s.limits()) {
            for (ListVariant.Filter f : filters) {
                long expected = f != null && f.key().equals("shard") ? picked : s.axons();
                out.add(new ListVariant(limit, true, f, expected));
                out.add(new ListVariant(limit, false, f, expected));
            }
        }
        return out;
    }

    private static String shard(String tag, int shard) {
        return tag + "-" + shard;
    }

    private static void print(PrintStream out, Settings s, List<PageWalk.Result> results) {
        out.println();
        out.printf("Paging through GET /v1/axons with %,d axons created by this run%n", s.axons());
        Table t = new Table("limit", "total count", "filter", "pages", "axons seen", "total_count", "total s",
                "p50 ms/page", "p99 ms/page", "max ms/page", "check");
        for (PageWalk.Result r : results) {
            ListVariant v = r.variant();
            t.row(v.limit(), v.totalCount() ? "default (on)" : "false", v.filterLabel(), r.pages(), r.seen(),
                    r.totalCount() < 0 ? "-" : String.format("%,d", r.totalCount()), r.seconds(),
                    Percentiles.millis(r.perPage().p50()), Percentiles.millis(r.perPage().p99()),
                    Percentiles.millis(r.perPage().max()),
                    r.complete() ? "ok" : "expected " + v.expected() + ", " + r.duplicates() + " dups");
        }
        t.print(out);
        for (PageWalk.Result r : results) {
            ListVariant v = r.variant();
            new ResultLine("list").put("limit", v.limit()).put("include_total_count", v.totalCount())
                    .put("filter", v.filterLabel()).put("pages", r.pages()).put("seen", r.seen())
                    .put("duplicates", r.duplicates()).put("total_count", r.totalCount()).put("seconds", r.seconds())
                    .put("p50_ms", Percentiles.millis(r.perPage().p50())).put("p99_ms", Percentiles.millis(r.perPage().p99()))
                    .put("max_ms", Percentiles.millis(r.perPage().max())).put("complete", r.complete()).print(out);
        }
    }
}
