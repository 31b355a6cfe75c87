package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws generated malformed and hostile requests at every write route. Each must get a 4xx with a JSON error
 * body, the server must stay healthy, and the data acknowledged before must be unchanged.
 */
@WithMyelinServer
class BadInputTest {
    @InjectServer
    static TestServer s;

    static List<String> hostileBodies(Random rnd) {
        List<String> bodies = new ArrayList<>(List.of(
                "{", "}", "[", "null", "true", "0", "\"str\"", "[]", "{\"a\":}", "{\"a\" 1}", "{,}", "{\"events\":[{]}",
                "{\"event_type\":null}", "{\"event_type\":[],\"origin\":{},\"source\":1,\"payload\":false}",
                "{\"event_type\":\"t\",\"origin\":\"user_event\",\"source\":\"s\",\"payload\":\"p\"}",
                "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":1e999}",
                "{\"name\":{\"nested\":true}}", "{\"metadata\":\"string\"}", "{\"metadata\":{\"k\":null}}",
                "{\"metadata\":{\"\":\"empty key\"}}", "{\"events\":null}", "{\"events\":{}}", "{\"events\":[null]}",
                "{\"events\":[[]]}", "\u0000\u0001\u0002", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\uZZZZ\"}",
                "{'single':'quotes'}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "/* c */ {}"));
        bodies.add("[".repeat(5000) + "]".repeat(5000));
        bodies.add("{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        bodies.add("{\"event_type\":\"" + "t".repeat(300) + "\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}");
        bodies.add("{\"events\":[" + "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"},".repeat(1001)
                + "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}]}");
        for (int i = 0; i < 150; i++) {
            byte[] b = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(b);
            bodies.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            String valid = "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\",\"events\":[]}";
            bodies.add(valid.substring(0, rnd.nextInt(valid.length())));
        }
        return bodies;
    }

    @Test
    void hostileBodiesGet4xxAndChangeNothing() {
        String id = s.createAxon("victim");
        for (int i = 0; i < 5; i++) s.publish(id, "keep", "k" + i);
        String before = s.get("/v1/axons/" + id + "/events?limit=100").body();
        String axonBefore = s.get("/v1/axons/" + id).body();

        List<String> paths = List.of("/v1/axons", "/v1/axons/" + id, "/v1/axons/" + id + "/publish",
                "/v1/axons/" + id + "/publish/batch");
        int requests = 0;
        for (String body : hostileBodies(new Random(42))) {
            for (String path : paths) {
                var r = s.post(path, body);
                requests++;
                if (r.status() == 200) {
                    // only bodies that are valid for this route may succeed: creating an axon, a no-op update
                    assertThat(path).as("200 for " + abbreviate(body)).isIn("/v1/axons", "/v1/axons/" + id);
                    continue;
                }
                assertThat(r.status()).as(path + " " + abbreviate(body)).isBetween(400, 499);
                assertThat(r.json().path("error").path("message").asText()).isNotEmpty();
            }
        }
        assertThat(requests).isGreaterThan(300);
        assertThat(s.get("/v1/axons/" + id + "/events?limit=100").body()).isEqualTo(before);
        assertThat(s.get("/v1/axons/" + id).body()).isEqualTo(axonBefore);
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/healthz")).build()).status()).isEqualTo(200);
        assertThat(s.publish(id, "after", "still works").json().get("sequence").asLong()).isEqualTo(6);
    }

    @Test
    void errorsBeforeTheBodyIsReadStillReachTheClient() {
        String big = "{\"metadata\":{\"k\":\"" + "x".repeat(512 * 1024) + "\"}}";
        for (var version : java.util.List.of(java.net.http.HttpClient.Version.HTTP_1_1, java.net.http.HttpClient.Version.HTTP_2)) {
            for (int i = 0; i < 10; i++) {
                var unknown = s.send(s.request("/v1/axons/axn_nope").version(version)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build());
                assertThat(unknown.status()).as(version + " unknown axon").isEqualTo(404);
                var noKey = s.send(HttpRequest.newBuilder(s.uri("/v1/axons")).version(version)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build());
                assertThat(noKey.status()).as(version + " no key").isEqualTo(401);
            }
        }
    }

    @Test
    void hostileQueryStrings() {
        String id = s.createAxon("q");
        List<String> queries = List.of("/v1/axons?limit=-1", "/v1/axons?limit=99999999999999", "/v1/axons?limit=1.5",
                "/v1/axons?starting_after=%00", "/v1/axons?metadata[=x", "/v1/axons?metadata[a][in",
                "/v1/axons/" + id + "/events?starting_after=1e3", "/v1/axons/" + id + "/events?starting_after=99999999999999999999",
                "/v1/axons/" + id + "/events?limit=", "/v1/axons/" + id + "/subscribe/sse?after_sequence=1.0",
                "/v1/axons/" + id + "/subscribe/sse?after_sequence=%20");
        for (String q : queries) {
            var r = s.get(q);
            if (q.endsWith("limit=")) {
                assertThat(r.status()).as(q).isEqualTo(200); // empty means default
                continue;
            }
            assertThat(r.status()).as(q).isBetween(400, 499);
            assertThat(r.json().has("error")).as(q).isTrue();
        }
        for (String raw : List.of("/v1/axons?limit=%ZZ", "/v1/axons?name=%E0%A4%A", "/v1/axons/%ZZ/events")) {
            String reply = rawGet(raw);
            assertThat(reply).as(raw).startsWith("HTTP/1.1 4").contains("application/json").contains("{\"error\":");
        }
        assertThat(s.get("/v1/axons/" + "x".repeat(5000)).status()).isEqualTo(404);
        assertThat(s.get("/v1/axons/..%2F..%2Fetc").status()).isBetween(400, 404);
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/healthz")).build()).status()).isEqualTo(200);
    }

    /** Sends a request line that java.net.URI would refuse to build; returns the whole response. */
    private static String rawGet(String target) {
        try (var socket = new java.net.Socket("127.0.0.1", s.server().port())) {
            socket.setSoTimeout(10_000);
            String req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            StringBuilder all = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) all.append(line).append('\n');
            return all.toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
