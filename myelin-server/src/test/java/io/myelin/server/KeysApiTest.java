package io.myelin.server;

import static io.myelin.server.ScopedKeys.create;
import static io.myelin.server.ScopedKeys.get;
import static io.myelin.server.ScopedKeys.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.TempDirs;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The keys API over the wire: a secret shown once, axon limits (404 for other axons), revocation at once (also of
 * open streams), rotation with a grace period and expiry on a clock the test moves, no escalation, and the
 * read-only SQL of {@code sql:read}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeysApiTest {
    static final ManualClock clock = new ManualClock();
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("keys-api");
        s = TestServer.start(dir, Map.of("sse.heartbeat", "10m", "sse.idle-timeout", "30m", "http.idle-timeout", "40m"),
                c -> c.withClock(clock), null);
    }

    @AfterAll
    static void stop() {
        s.close();
        TempDirs.deleteTree(dir);
    }

    @Test
    void theSecretIsShownOnceAndListingPagesWithoutIt() {
        TestServer.Reply r = s.post("/v1/keys", Map.of("name", "reader", "scopes", List.of("axons:read", "events:read")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode k = r.json();
        String id = k.get("id").asText();
        assertThat(id).matches("key_[0-9a-f]{24}");
        assertThat(k.get("key").asText()).matches("myl_[a-z2-7]{32}");
        assertThat(k.get("scopes")).hasToString("[\"axons:read\",\"events:read\"]");
        assertThat(k.get("axon_ids").isNull()).isTrue();
        assertThat(k.get("created_at_ms").asLong()).isEqualTo(clock.millis());
        assertThat(get(s, k.get("key").asText(), "/v1/axons").status()).isEqualTo(200);

        TestServer.Reply one = s.get("/v1/keys/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().has("key")).isFalse();
        assertThat(one.body()).doesNotContain(k.get("key").asText());

        create(s, "second", List.of("axons:read"), null);
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            TestServer.Reply page = s.get("/v1/keys?limit=1" + (after == null ? "" : "&starting_after=" + after));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).doesNotContain("myl_");
            JsonNode keys = page.json().get("keys");
            assertThat(keys).hasSize(1);
            after = keys.get(0).get("id").asText();
            seen.add(after);
            more = page.json().get("has_more").asBoolean();
            assertThat(page.json().get("total_count").asLong()).isGreaterThanOrEqualTo(3);
        }
        assertThat(seen).contains(id).doesNotHaveDuplicates();
        assertThat(s.get("/v1/keys/key_000000000000000000000000").status()).isEqualTo(404);
        assertThat(s.get("/v1/keys?starting_after=key_nope").errorField()).isEqualTo("starting_after");
    }

    @Test
    void aKeyLimitedToAxonsSeesOnlyThoseAndOthersAreNotFound() {
        String mine = s.createAxon("mine");
        String other = s.createAxon("other");
        ScopedKeys.Key k = create(s, "limited", List.of("axons:read", "axons:write", "events:write"), List.of(mine));
        JsonNode list = get(s, k.secret(), "/v1/axons?limit=100").json();
        assertThat(list.get("axons")).extracting(a -> a.get("id").asText()).containsExactly(mine);
        assertThat(get(s, k.secret(), "/v1/axons/" + mine).status()).isEqualTo(200);
        TestServer.Reply hidden = get(s, k.secret(), "/v1/axons/" + other);
        TestServer.Reply missing = get(s, k.secret(), "/v1/axons/axn_doesnotexist");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(hidden.json().path("error").path("message").asText()).isEqualTo("axon not found: " + other);
        assertThat(send(s, k.secret(), "POST", "/v1/axons/" + other + "/publish",
                "{\"event_type\":\"x\",\"origin\":\"USER_EVENT\",\"payload\":\"y\",\"source\":\"t\"}").status()).isEqualTo(404);
        assertThat(send(s, k.secret(), "POST", "/v1/axons/" + mine + "/publish",
                "{\"event_type\":\"x\",\"origin\":\"USER_EVENT\",\"payload\":\"y\",\"source\":\"t\"}").status()).isEqualTo(200);
        assertThat(send(s, k.secret(), "POST", "/v1/axons/" + mine + "/sql/query", "{\"sql\":\"SELECT 1\"}").status())
                .as("in its grant, without the scope: forbidden, not hidden").isEqualTo(403);
        assertThat(send(s, k.secret(), "POST", "/v1/axons", "{}").status())
                .as("axons:write with an axon limit creates nothing").isEqualTo(403);
        ScopedKeys.Key creator = create(s, "creator", List.of("axons:write"), null);
        assertThat(send(s, creator.secret(), "POST", "/v1/axons", "{}").status()).isEqualTo(200);
    }

    @Test
    void revocationIsImmediateAndEndsTheKeysStreams() throws Exception {
        String axon = s.createAxon("revoked-stream");
        ScopedKeys.Key k = create(s, "streamer", List.of("events:read"), List.of(axon));
        s.publish(axon, "first", "1");
        try (SseClient sse = new SseClient(s, s.request("/v1/axons/" + axon + "/subscribe/sse")
                .setHeader("Authorization", "Bearer " + k.secret()).header("Accept", "text/event-stream").GET().build())) {
            assertThat(sse.status()).isEqualTo(200);
            SseClient.Frame first = sse.next(60_000);
            assertThat(first).isNotNull();
            assertThat(first.event()).isNull();
            TestServer.Reply revoked = s.delete("/v1/keys/" + k.id());
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
            assertThat(revoked.json().get("revoked_at_ms").asLong()).isEqualTo(clock.millis());
            SseClient.Frame end = sse.next(60_000);
            assertThat(end).isNotNull();
            assertThat(end.event()).isEqualTo("error");
            assertThat(end.json().get("code").asInt()).isEqualTo(401);
            assertThat(sse.next(60_000)).isEqualTo(SseClient.END);
        }
        TestServer.Reply refused = get(s, k.secret(), "/v1/axons/" + axon + "/events");
        assertThat(refused.status()).isEqualTo(401);
        TestServer.Reply again = s.delete("/v1/keys/" + k.id());
        assertThat(again.status()).as("revoking twice answers the revoked key").isEqualTo(200);
        assertThat(again.json().get("revoked_at_ms").asLong()).isEqualTo(clock.millis());
        assertThat(s.post("/v1/keys/" + k.id() + "/rotate", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void aRotatedSecretWorksForItsGracePeriodThenStops() {
        ScopedKeys.Key k = create(s, "rotating", List.of("axons:read"), null);
        TestServer.Reply r = s.post("/v1/keys/" + k.id() + "/rotate", Map.of("grace_ms", 60_000));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String fresh = r.json().get("key").asText();
        assertThat(r.json().get("id").asText()).isEqualTo(k.id());
        assertThat(r.json().get("previous_key_expires_at_ms").asLong()).isEqualTo(clock.millis() + 60_000);
        assertThat(get(s, k.secret(), "/v1/axons").status()).isEqualTo(200);
        assertThat(get(s, fresh, "/v1/axons").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        TestServer.Reply old = get(s, k.secret(), "/v1/axons");
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.body()).contains("was rotated");
        assertThat(get(s, fresh, "/v1/axons").status()).isEqualTo(200);

        TestServer.Reply now = s.post("/v1/keys/" + k.id() + "/rotate", Map.of("grace_ms", 0));
        assertThat(get(s, fresh, "/v1/axons").status()).as("grace 0: the old secret stops at once").isEqualTo(401);
        assertThat(get(s, now.json().get("key").asText(), "/v1/axons").status()).isEqualTo(200);

        TestServer.Reply byDefault = s.post("/v1/keys/" + k.id() + "/rotate", "{}");
        assertThat(byDefault.status()).as(byDefault.body()).isEqualTo(200);
        assertThat(byDefault.json().get("previous_key_expires_at_ms").asLong())
                .as("keys.rotation-grace").isEqualTo(clock.millis() + Duration.ofHours(1).toMillis());
    }

    @Test
    void anExpiredKeyIsRefused() {
        ScopedKeys.Key k = create(s, "short-lived", List.of("axons:read"), null);
        TestServer.Reply r = s.post("/v1/keys", Map.of("name", "expiring", "scopes", List.of("axons:read"),
                "expires_at_ms", clock.millis() + 1000));
        String secret = r.json().get("key").asText();
        assertThat(get(s, secret, "/v1/axons").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        TestServer.Reply expired = get(s, secret, "/v1/axons");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");
        assertThat(get(s, k.secret(), "/v1/axons").status()).isEqualTo(200);
    }

    @Test
    void managingKeysNeverGrantsMoreThanTheManagerHolds() {
        ScopedKeys.Key manager = create(s, "manager", List.of("keys:manage", "axons:read"), null);
        assertThat(send(s, manager.secret(), "POST", "/v1/keys", "{\"name\":\"r\",\"scopes\":[\"axons:read\"],"
                + "\"axon_ids\":[\"axn_x\"]}").status()).isEqualTo(201);
        TestServer.Reply more = send(s, manager.secret(), "POST", "/v1/keys", "{\"name\":\"w\",\"scopes\":[\"sql:write\"]}");
        assertThat(more.status()).isEqualTo(403);
        assertThat(more.body()).contains("sql:write");
        assertThat(send(s, manager.secret(), "POST", "/v1/keys", "{\"name\":\"a\",\"scopes\":[\"admin\"]}").status())
                .isEqualTo(403);
        ScopedKeys.Key strong = create(s, "strong", List.of("sql:write"), null);
        assertThat(send(s, manager.secret(), "POST", "/v1/keys/" + strong.id() + "/rotate", "{}").status()).isEqualTo(403);
        assertThat(send(s, manager.secret(), "DELETE", "/v1/keys/" + strong.id(), null).status()).isEqualTo(403);
        assertThat(get(s, strong.secret(), "/v1/keys").status()).as("keys:manage is needed to list").isEqualTo(403);

        String adminId = null;
        for (JsonNode key : s.get("/v1/keys?limit=1000").json().get("keys")) {
            if (key.get("name").asText().equals("admin")) {
                adminId = key.get("id").asText();
            }
        }
        assertThat(s.post("/v1/keys/" + adminId + "/rotate", Map.of()).status()).isEqualTo(409);
        assertThat(s.delete("/v1/keys/" + adminId).status()).isEqualTo(409);
        assertThat(s.get("/v1/axons").status()).isEqualTo(200);
    }

    @Test
    void sqlReadRunsOnlyWhatSqliteReportsReadOnly() {
        String axon = s.createAxon("sql-read");
        assertThat(s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", List.of(
                Map.of("sql", "CREATE TABLE t(x)"), Map.of("sql", "INSERT INTO t VALUES (1), (2)")))).status()).isEqualTo(200);
        ScopedKeys.Key reader = create(s, "sql-reader", List.of("sql:read"), List.of(axon));
        String q = "/v1/axons/" + axon + "/sql/query";
        TestServer.Reply rows = send(s, reader.secret(), "POST", q, "{\"sql\":\"WITH c AS (SELECT count(*) n FROM t) SELECT n FROM c\"}");
        assertThat(rows.status()).as(rows.body()).isEqualTo(200);
        assertThat(rows.json().get("rows").get(0).get(0).asInt()).isEqualTo(2);
        for (String write : List.of("INSERT INTO t VALUES (3)", "CREATE TABLE u(y)", "DELETE FROM t",
                "PRAGMA user_version = 7", "DROP TABLE t", "UPDATE t SET x = 0 RETURNING x")) {
            TestServer.Reply refused = send(s, reader.secret(), "POST", q, "{\"sql\":\"" + write + "\"}");
            assertThat(refused.status()).as(write + ": " + refused.body()).isEqualTo(403);
            assertThat(refused.errorField()).isEqualTo("sql");
        }
        assertThat(send(s, reader.secret(), "POST", "/v1/axons/" + axon + "/sql/batch",
                "{\"statements\":[{\"sql\":\"SELECT 1\"}]}").status()).isEqualTo(403);
        TestServer.Reply count = s.post(q, Map.of("sql", "SELECT count(*), sum(x) FROM t"));
        assertThat(count.json().get("rows").get(0)).hasToString("[2,3]");
        assertThat(s.post(q, Map.of("sql", "INSERT INTO t VALUES (4)")).status())
                .as("the connection is writable again for sql:write").isEqualTo(200);
        ScopedKeys.Key writer = create(s, "sql-writer", List.of("sql:write"), List.of(axon));
        assertThat(send(s, writer.secret(), "POST", q, "{\"sql\":\"INSERT INTO t VALUES (5)\"}").status()).isEqualTo(200);
        assertThat(s.get("/readyz").status()).as("a refused write is not a storage failure").isEqualTo(200);
    }

    @Test
    void everyFieldIsCheckedAndNamed() {
        record Bad(String body, int status, String field) {}
        String tooLong = "n".repeat(129);
        List<Bad> cases = List.of(
                new Bad("{\"scopes\":[\"axons:read\"]}", 400, "name"),
                new Bad("{\"name\":\"" + tooLong + "\",\"scopes\":[\"axons:read\"]}", 400, "name"),
                new Bad("{\"name\":\"a\\u0001\",\"scopes\":[\"axons:read\"]}", 400, "name"),
                new Bad("{\"name\":\"a\"}", 400, "scopes"),
                new Bad("{\"name\":\"a\",\"scopes\":[]}", 400, "scopes"),
                new Bad("{\"name\":\"a\",\"scopes\":\"axons:read\"}", 400, "scopes"),
                new Bad("{\"name\":\"a\",\"scopes\":[1]}", 400, "scopes[0]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\",\"axons:reed\"]}", 400, "scopes[1]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\",\"axons:read\"]}", 400, "scopes[1]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"keys:manage\"],\"axon_ids\":[\"axn_a\"]}", 400, "scopes[0]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"axon_ids\":[]}", 400, "axon_ids"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"axon_ids\":[\"axn_a\",\"axn_a\"]}", 400, "axon_ids[1]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"axon_ids\":[\"a b\"]}", 400, "axon_ids[0]"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"expires_at_ms\":1}", 400, "expires_at_ms"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"expires_at_ms\":\"soon\"}", 400, "expires_at_ms"),
                new Bad("{\"name\":\"a\",\"scopes\":[\"axons:read\"],\"role\":\"admin\"}", 422, "role"));
        for (Bad b : cases) {
            TestServer.Reply r = s.post("/v1/keys", b.body());
            assertThat(r.status()).as(b.body() + " → " + r.body()).isEqualTo(b.status());
            assertThat(r.errorField()).as(b.body()).isEqualTo(b.field());
        }
        ScopedKeys.Key k = create(s, "to-rotate", List.of("axons:read"), null);
        for (String grace : List.of("-1", "2592000001", "\"1h\"")) {
            TestServer.Reply r = s.post("/v1/keys/" + k.id() + "/rotate", "{\"grace_ms\":" + grace + "}");
            assertThat(r.status()).as(grace + " → " + r.body()).isEqualTo(400);
            assertThat(r.errorField()).isEqualTo("grace_ms");
        }
        assertThat(s.post("/v1/keys/key_000000000000000000000000/rotate", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void theNumberOfWorkingKeysIsBounded() {
        Path other = TempDirs.create("keys-cap");
        try (TestServer small = TestServer.start(other, Map.of("keys.max-keys", "2"))) {
            create(small, "one", List.of("axons:read"), null);
            TestServer.Reply full = small.post("/v1/keys", Map.of("name", "two", "scopes", List.of("axons:read")));
            assertThat(full.status()).isEqualTo(409);
            assertThat(full.body()).contains("keys.max-keys");
        } finally {
            TempDirs.deleteTree(other);
        }
    }
}
