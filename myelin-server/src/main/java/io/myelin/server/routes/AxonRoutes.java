package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Action;
import io.myelin.axon.AxonFilter;
import io.myelin.axon.AxonPage;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.axon.Axons;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/** Axon CRUD and list (Runloop: {@code src/resources/axons/axons.ts}). */
public final class AxonRoutes {
    private final Axons axons;
    private final MemoryBudget answers;

    public AxonRoutes(Axons axons, MemoryBudget answers) {
        this.axons = axons;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("POST", "/v1/axons", Action.AXON_CREATE, this::create);
        r.route("GET", "/v1/axons", Action.AXON_LIST, this::list);
        r.route("GET", "/v1/axons/{id}", Action.AXON_READ, ex -> ex.ok(axons.get(ex.caller(), ex.path("id"))));
        r.route("POST", "/v1/axons/{id}", Action.AXON_UPDATE, this::update);
        r.route("DELETE", "/v1/axons/{id}", Action.AXON_DELETE, this::delete);
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        ex.ok(axons.create(ex.caller(), Bodies.string(body, "name", "", false), Bodies.stringMap(body, "metadata"),
                ex.requestKey(body)));
    }

    /** A delete carries no body (the SDK sends an empty one with a JSON Content-Type): the path is the request. */
    private void delete(Exchange ex) throws Exception {
        ex.ok(axons.delete(ex.caller(), ex.path("id"), ex.requestKey(Json.MAPPER.createObjectNode())));
    }

    private void update(Exchange ex) throws Exception {
        String id = ex.path("id");
        axons.index().require(id);
        JsonNode body = ex.jsonBody();
        ex.ok(axons.updateMetadata(ex.caller(), id, Bodies.stringMap(body, "metadata"), ex.requestKey(body)));
    }

    private void list(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 20, 1, axons.limits().maxListLimit());
        Map<String, String> equals = new LinkedHashMap<>();
        Map<String, List<String>> in = new LinkedHashMap<>();
        for (Fields.Field f : ex.queryFields()) {
            String name = f.getName();
            if (!name.startsWith("metadata[")) {
                continue;
            }
            if (name.endsWith("][in]")) {
                String key = name.substring("metadata[".length(), name.length() - "][in]".length());
                in.put(requireKey(name, key), Arrays.asList(f.getValue().split(",", -1)));
            } else if (name.endsWith("]")) {
                String key = name.substring("metadata[".length(), name.length() - 1);
                equals.put(requireKey(name, key), f.getValue());
            } else {
                throw MyelinException.invalid(name, "metadata filters are metadata[KEY]=VALUE or metadata[KEY][in]=A,B; got '" + name + "'");
            }
        }
        MemoryBudget.Lease held = answers.lease();
        try {
            AxonPage page = axons.list(ex.caller(), new AxonFilter(ex.query("id"), ex.query("name"), ex.query("search"), equals, in,
                    emptyToNull(ex.query("starting_after")), limit, ex.boolQuery("include_total_count", true)), held);
            ex.stream(page, held);
        } finally {
            held.close();
        }
    }

    private static String requireKey(String param, String key) {
        if (key.isEmpty()) {
            throw MyelinException.invalid(param, "malformed metadata filter '" + param + "'");
        }
        return key;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
