package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class AuthAndRoutingTest {
    @InjectServer
    static TestServer s;

    @Test
    void everyApiRouteNeedsAValidKey() {
        String id = s.createAxon("auth");
        String[][] routes = {
                {"GET", "/v1/axons"}, {"POST", "/v1/axons"}, {"GET", "/v1/axons/" + id}, {"POST", "/v1/axons/" + id},
                {"DELETE", "/v1/axons/" + id}, {"POST", "/v1/axons/" + id + "/publish"},
                {"POST", "/v1/axons/" + id + "/publish/batch"}, {"GET", "/v1/axons/" + id + "/events"},
                {"GET", "/v1/axons/" + id + "/subscribe/sse"}, {"GET", "/metrics"}};
        for (String[] r : routes) {
            for (String auth : new String[] {null, "Bearer wrong-key", "Basic abc", "Bearer "}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(r[1])).method(r[0], HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json");
                if (auth != null) b.header("Authorization", auth);
                var reply = s.send(b.build());
                assertThat(reply.status()).as(r[0] + " " + r[1] + " with " + auth).isEqualTo(401);
                assertThat(reply.errorType()).isEqualTo("unauthorized");
            }
        }
        assertThat(s.get("/v1/axons/" + id).status()).isEqualTo(200); // nothing was deleted without a key
    }

    @Test
    void healthIsPublic() {
        var h = s.send(HttpRequest.newBuilder(s.uri("/healthz")).build());
        assertThat(h.status()).isEqualTo(200);
        var ready = s.send(HttpRequest.newBuilder(s.uri("/readyz")).build());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    @Test
    void unknownRouteAndWrongMethod() {
        var r = s.get("/v1/nothing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorType()).isEqualTo("not_found");
        var m = s.send(s.request("/v1/axons").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.response().headers().firstValue("allow").orElse("")).contains("GET").contains("POST");
    }

    @Test
    void wrongContentTypeIs415() {
        var r = s.send(s.request("/v1/axons").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorField()).isEqualTo("Content-Type");
    }

    @Test
    void metricsExposeEngineCounters() {
        s.publish(s.createAxon("m"), "t", "p");
        var r = s.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("myelin_writer_groups_total").contains("myelin_axons")
                .contains("myelin_storage_writable 1.0");
    }

    @Test
    void generatedAdminKeyIsStoredHashedAndWrittenOwnerOnly() throws Exception {
        Path dir = Files.createTempDirectory("myelin-key");
        var loader = new io.myelin.server.config.ConfigLoader().flag("port", 0).flag("data-dir", dir);
        String key;
        try (MyelinServer server = MyelinServer.start(loader.build())) {
            key = server.generatedAdminKey();
            assertThat(key).startsWith("myl_");
            Path file = dir.resolve("admin.key");
            assertThat(Files.readString(file).trim()).isEqualTo(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        // the key itself is nowhere in the database files
        for (String f : new String[] {"myelin.db", "myelin.db-wal"}) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                assertThat(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(key);
            }
        }
        // a restart generates nothing new and still accepts the key
        try (MyelinServer server = MyelinServer.start(loader.build())) {
            assertThat(server.generatedAdminKey()).isNull();
            var reply = s.send(HttpRequest.newBuilder(java.net.URI.create(server.uri() + "/v1/axons"))
                    .header("Authorization", "Bearer " + key).build());
            assertThat(reply.status()).isEqualTo(200);
        }
    }
}
