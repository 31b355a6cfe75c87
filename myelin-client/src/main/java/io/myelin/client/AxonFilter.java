package io.myelin.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which axons {@link Axons#list(AxonFilter)} returns. Immutable; each {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * AxonFilter f = AxonFilter.all().namePrefix("ci-").metadata("team", "infra").metadataIn("env", "dev", "prod");
 * }</pre>
 *
 * @param namePrefix    only axons whose name starts with this, or {@code null}
 * @param id            only the axon with this id, or {@code null}
 * @param search        only axons whose id or name matches this, or {@code null}
 * @param metadata      only axons having every one of these key/value pairs
 * @param metadataIn    only axons whose value for each key is one of the listed values
 * @param pageSize      how many axons to fetch per request (1..5000)
 */
public record AxonFilter(String namePrefix, String id, String search, Map<String, String> metadata,
                         Map<String, List<String>> metadataIn, int pageSize) {
    /** The largest page the server serves. */
    public static final int MAX_PAGE_SIZE = 5000;

    /** Copies the maps and checks the page size. */
    public AxonFilter {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        metadataIn = metadataIn == null ? Map.of() : Map.copyOf(metadataIn);
        if (pageSize < 1) {
            // The upper bound is the server's (limits.max-list-limit, configurable): it answers 400 naming it.
            throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
        }
    }

    /** No filtering, 100 axons per page. */
    public static AxonFilter all() {
        return new AxonFilter(null, null, null, Map.of(), Map.of(), 100);
    }

    /** Only axons whose name starts with {@code prefix} ({@code null}: any). */
    public AxonFilter namePrefix(String prefix) {
        return new AxonFilter(prefix, id, search, metadata, metadataIn, pageSize);
    }

    /** Only the axon with this id ({@code null}: any). */
    public AxonFilter id(String axonId) {
        return new AxonFilter(namePrefix, axonId, search, metadata, metadataIn, pageSize);
    }

    /** Only axons whose id or name matches {@code text} ({@code null}: any). */
    public AxonFilter search(String text) {
        return new AxonFilter(namePrefix, id, text, metadata, metadataIn, pageSize);
    }

    /** Adds a {@code metadata[key]=value} condition. */
    public AxonFilter metadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new AxonFilter(namePrefix, id, search, m, metadataIn, pageSize);
    }

    /** Adds a {@code metadata[key][in]=v1,v2} condition: the value must be one of {@code values}. */
    public AxonFilter metadataIn(String key, String... values) {
        Map<String, List<String>> m = new LinkedHashMap<>(metadataIn);
        m.put(key, List.of(values));
        return new AxonFilter(namePrefix, id, search, metadata, m, pageSize);
    }

    /** How many axons each request fetches (1..5000); does not limit the total. */
    public AxonFilter pageSize(int size) {
        return new AxonFilter(namePrefix, id, search, metadata, metadataIn, size);
    }
}
