package io.myelin.client;

import java.util.Map;
import java.util.Objects;

/** {@link Axons} over HTTP. Stateless apart from the shared transport, hence thread-safe. */
final class HttpAxons implements Axons {
    private final Transport transport;

    HttpAxons(Transport transport) {
        this.transport = transport;
    }

    @Override
    public Axon create(String name, Map<String, String> metadata) {
        WireTypes.CreateAxon body = new WireTypes.CreateAxon(name, metadata == null || metadata.isEmpty() ? null : metadata);
        return transport.write("POST", "/v1/axons", body, null, Axon.class);
    }

    @Override
    public Axon get(String axonId) {
        return transport.get(path(axonId), new Query(), Axon.class);
    }

    @Override
    public Axon updateMetadata(String axonId, Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata (use an empty map to clear)");
        return transport.write("POST", path(axonId), new WireTypes.UpdateAxon(metadata), null, Axon.class);
    }

    @Override
    public void delete(String axonId) {
        transport.write("DELETE", path(axonId), null, null, Void.class);
    }

    @Override
    public Paged<Axon> list(AxonFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return new CursorPager<Axon, String>(cursor -> page(filter, cursor), Axon::id);
    }

    private CursorPager.Page<Axon> page(AxonFilter f, String cursor) {
        Query q = new Query()
                .add("limit", f.pageSize())
                .add("starting_after", cursor)
                .add("id", f.id())
                .add("name", f.namePrefix())
                .add("search", f.search())
                .add("include_total_count", false); // counting costs the server a query per page; we never need it
        f.metadata().forEach((k, v) -> q.add("metadata[" + k + "]", v));
        f.metadataIn().forEach((k, vs) -> q.add("metadata[" + k + "][in]", String.join(",", vs)));
        WireTypes.AxonList page = transport.get("/v1/axons", q, WireTypes.AxonList.class);
        return new CursorPager.Page<>(page.axons(), page.hasMore());
    }

    static String path(String axonId) {
        Objects.requireNonNull(axonId, "axonId");
        return "/v1/axons/" + Query.segment(axonId);
    }
}
