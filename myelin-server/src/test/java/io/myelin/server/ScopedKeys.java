package io.myelin.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.TestServer;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scoped keys for tests: created by the admin key over the API, and requests sent with one of them. */
final class ScopedKeys {
    private ScopedKeys() {}

    /** A key created by the admin key; {@code axonIds} null for every axon. */
    record Key(String id, String secret) {}

    static Key create(TestServer s, String name, List<String> scopes, List<String> axonIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (axonIds != null) {
            body.put("axon_ids", axonIds);
        }
        TestServer.Reply r = s.post("/v1/keys", body);
        if (r.status() != 201) {
            throw new AssertionError("creating key " + name + " failed: " + r);
        }
        JsonNode j = r.json();
        return new Key(j.get("id").asText(), j.get("key").asText());
    }

    /** {@code method path} with {@code secret} as the bearer key; a JSON body for POST and PUT. */
    static TestServer.Reply send(TestServer s, String secret, String method, String path, String jsonBody) {
        HttpRequest.Builder b = s.request(path).setHeader("Authorization", "Bearer " + secret);
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return s.send(b.build());
    }

    static TestServer.Reply get(TestServer s, String secret, String path) {
        return send(s, secret, "GET", path, null);
    }
}
