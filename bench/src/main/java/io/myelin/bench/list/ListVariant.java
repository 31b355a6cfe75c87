package io.myelin.bench.list;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One way of paging through {@code GET /v1/axons}: page size, whether the total is asked for
 * (the server's default) or turned off with {@code include_total_count=false}, and an optional
 * metadata filter.
 *
 * @param filter   {@code null} for no filter
 * @param expected axons the walk must see; for the unfiltered walk, at least this many
 */
public record ListVariant(int limit, boolean totalCount, Filter filter, long expected) {

    /** {@code metadata[key]=value}, with a label saying how much it selects. */
    public record Filter(String label, String key, String value) {}

    public String filterLabel() {
        return filter == null ? "none" : filter.label();
    }

    /** The request path of the page after {@code cursor} ({@code null}: the first page). */
    public String path(String cursor) {
        StringBuilder b = new StringBuilder("/v1/axons?limit=").append(limit);
        if (!totalCount) b.append("&include_total_count=false");
        if (filter != null) b.append('&').append(encode("metadata[" + filter.key() + "]")).append('=').append(encode(filter.value()));
        if (cursor != null) b.append("&starting_after=").append(encode(cursor));
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
