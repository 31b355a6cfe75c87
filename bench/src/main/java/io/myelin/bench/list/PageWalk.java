package io.myelin.bench.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.bench.http.HttpResponse;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.AxonClient;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows {@code has_more} and the last id of each page from the first page to the end, timing
 * each request (reply fully read, not yet parsed) and the walk as a whole (parsing included).
 */
final class PageWalk {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code totalCount} is what the first page reported, -1 when it reported none; a walk is complete when it saw
     * each axon once, as many as expected and as many as that total.
     */
    record Result(ListVariant variant, int pages, long seen, long duplicates, long totalCount, double seconds,
                  Percentiles perPage) {
        boolean complete() {
            return duplicates == 0 && (totalCount < 0 || totalCount == seen) && (variant.filter() == null ? seen >= variant.expected() : seen == variant.expected());
        }
    }

    private PageWalk() {}

    static Result walk(AxonClient client, ListVariant variant) throws IOException {
        LongSamples pageNanos = new LongSamples();
        Set<String> ids = new HashSet<>();
        long seen = 0;
        long totalCount = -1;
        String cursor = null;
        long t0 = System.nanoTime();
        while (true) {
            long start = System.nanoTime();
            HttpResponse r = client.get(variant.path(cursor));
            pageNanos.add(System.nanoTime() - start);
            JsonNode page = JSON.readTree(r.body());
            if (pageNanos.size() == 1 && page.hasNonNull("total_count")) totalCount = page.get("total_count").asLong();
            JsonNode axons = page.path("axons");
            for (JsonNode a : axons) {
                ids.add(a.path("id").asText());
                seen++;
            }
            if (!page.path("has_more").asBoolean() || axons.isEmpty()) break;
            cursor = axons.get(axons.size() - 1).path("id").asText();
        }
        return new Result(variant, pageNanos.size(), seen, seen - ids.size(), totalCount,
                (System.nanoTime() - t0) / 1e9, Percentiles.of(pageNanos));
    }
}
