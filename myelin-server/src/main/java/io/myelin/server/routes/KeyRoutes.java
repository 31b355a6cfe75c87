package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.auth.Action;
import io.myelin.auth.ApiKey;
import io.myelin.auth.KeyManagement;
import io.myelin.auth.KeyPage;
import io.myelin.auth.ScopeName;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The keys API (a Myelin extension under {@code /v1}), every route {@link Action#KEY_MANAGE}:
 *
 * <pre>
 * POST   /v1/keys                   {name, scopes: [...], axon_ids?: [...], expires_at_ms?}   → 201 KeyView + key
 * GET    /v1/keys?limit&amp;starting_after                          → 200 {keys: [KeyView], has_more, total_count}
 * GET    /v1/keys/{key_id}                                                                   → 200 KeyView
 * POST   /v1/keys/{key_id}/rotate   {grace_ms?}                                              → 200 KeyView + key
 * DELETE /v1/keys/{key_id}                                               → 200 KeyView (revoked_at_ms set)
 * </pre>
 *
 * KeyView: {@code {id, name, scopes, axon_ids (null: every axon), expires_at_ms, created_at_ms, revoked_at_ms,
 * previous_key_expires_at_ms}}; {@code key}, the secret, is in the answers of create and rotate only.
 *
 * <p>The key routes capture {@code {key_id}}, not {@code {id}}: the HTTP layer reads {@code {id}} as the axon a
 * request acts on.
 */
public final class KeyRoutes {
    private final KeyManagement keys;
    private final MemoryBudget answers;

    /** @param answers where list pages are held until written */
    public KeyRoutes(KeyManagement keys, MemoryBudget answers) {
        this.keys = keys;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("POST", "/v1/keys", Action.KEY_MANAGE, this::create);
        r.route("GET", "/v1/keys", Action.KEY_MANAGE, this::list);
        r.route("GET", "/v1/keys/{key_id}", Action.KEY_MANAGE, ex -> ex.ok(view(keys.get(ex.caller(), ex.path("key_id")))));
        r.route("POST", "/v1/keys/{key_id}/rotate", Action.KEY_MANAGE, this::rotate);
        r.route("DELETE", "/v1/keys/{key_id}", Action.KEY_MANAGE,
                ex -> ex.ok(view(keys.revoke(ex.caller(), ex.path("key_id")))));
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a key", Set.of("name", "scopes", "axon_ids", "expires_at_ms"));
        KeyManagement.Issued issued = keys.create(ex.caller(), new KeyManagement.NewKey(
                Bodies.string(body, "name", "", true), strings(body, "scopes"), strings(body, "axon_ids"),
                Bodies.wholeNumber(body, "expires_at_ms", "")));
        ex.send(201, withSecret(issued));
    }

    private void rotate(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a rotation", Set.of("grace_ms"));
        ex.ok(withSecret(keys.rotate(ex.caller(), ex.path("key_id"), Bodies.wholeNumber(body, "grace_ms", ""))));
    }

    private void list(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 50, 1, keys.limits().maxListLimit());
        String after = ex.query("starting_after");
        MemoryBudget.Lease held = answers.lease();
        try {
            KeyPage page = keys.list(ex.caller(), after == null || after.isEmpty() ? null : after, limit, held);
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("keys");
            page.keys().forEach(k -> list.add(view(k)));
            out.put("has_more", page.hasMore());
            out.put("total_count", page.totalCount());
            ex.stream(out, held);
        } finally {
            held.close();
        }
    }

    private static ObjectNode withSecret(KeyManagement.Issued issued) {
        return view(issued.key()).put("key", issued.secret());
    }

    /** The key as the API shows it: never a secret or a hash. */
    static ObjectNode view(ApiKey k) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", k.id());
        o.put("name", k.name());
        ArrayNode scopes = o.putArray("scopes");
        for (ScopeName s : k.scopes()) {
            scopes.add(s.wireName());
        }
        if (k.axonIds() == null) {
            o.putNull("axon_ids");
        } else {
            ArrayNode axons = o.putArray("axon_ids");
            k.axonIds().forEach(axons::add);
        }
        o.put("expires_at_ms", k.expiresAtMs());
        o.put("created_at_ms", k.createdAtMs());
        o.put("revoked_at_ms", k.revokedAtMs());
        o.put("previous_key_expires_at_ms", k.previousExpiresAtMs());
        return o;
    }

    /** A JSON array of strings; null when absent or JSON null. */
    private static List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw MyelinException.invalid(field, field + " must be an array of strings, got " + Bodies.describe(v));
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                throw MyelinException.invalid(field + "[" + i + "]", field + "[" + i + "] must be a string, got "
                        + Bodies.describe(item));
            }
            out.add(item.asText());
        }
        return out;
    }
}
