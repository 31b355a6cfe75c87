package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
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
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        if (metadata != null && !metadata.isEmpty()) {
            body.set("metadata", Wire.MAPPER.valueToTree(metadata));
        }
        return Wire.axon(transport.post("/v1/axons", body));
    }

    @Override
    public Axon get(String axonId) {
        return Wire.axon(transport.get(path(axonId), new Query()));
    }

    @Override
    public Axon updateMetadata(String axonId, Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata (use an empty map to clear)");
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.set("metadata", Wire.MAPPER.valueToTree(metadata));
        return Wire.axon(transport.post(path(axonId), body));
    }

    @Override
    public void delete(String axonId) {
        transport.send("DELETE", path(axonId), new Query(), null, Map.of());
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
        JsonNode n = transport.get("/v1/axons", q);
        List<Axon> axons = new ArrayList<>();
        n.path("axons").forEach(a -> axons.add(Wire.axon(a)));
        return new CursorPager.Page<>(axons, n.path("has_more").asBoolean(false));
    }

    static String path(String axonId) {
        Objects.requireNonNull(axonId, "axonId");
        return "/v1/axons/" + Query.segment(axonId);
    }
}
