package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The step journal over HTTP against a real server: first writer wins (also among concurrent writers), listing in
 * recording order, streamed steps (append, complete, restart, superseded attempts), forgetting, retries under one
 * key, durability across a restart, and a deleted axon taking its journal with it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class JournalApiTest {
    @InjectServer
    static TestServer s;

    static String path(String axon, String step) {
        return "/v1/axons/" + axon + "/journal/" + URLEncoder.encode(step, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static TestServer.Reply put(String path, String body) {
        return s.send(s.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void theFirstRecordStandsAndLaterWritersGetIt() {
        String axon = s.createAxon("journal-first");
        String step = "model_call_3 é";
        TestServer.Reply first = put(path(axon, step), "{\"result\":{\"text\":\"hello\",\"tokens\":[1,2]}}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(first.json().get("status").asText()).isEqualTo("completed");
        assertThat(first.json().get("step").asText()).isEqualTo(step);
        long at = first.json().get("recorded_at_ms").asLong();

        TestServer.Reply second = put(path(axon, step), "{\"result\":\"other\",\"status\":\"failed\"}");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().get("created").asBoolean()).isFalse();
        assertThat(second.json().get("result").get("text").asText()).isEqualTo("hello");
        assertThat(second.json().get("status").asText()).isEqualTo("completed");
        assertThat(second.json().get("recorded_at_ms").asLong()).isEqualTo(at);

        TestServer.Reply got = s.get(path(axon, step));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("result").get("tokens").toString()).isEqualTo("[1,2]");
        assertThat(got.json().get("chunks")).isEmpty();
        assertThat(s.get(path(axon, "never")).status()).isEqualTo(404);
        assertThat(put(path(axon, "null_result"), "{\"result\":null}").json().get("result").isNull()).isTrue();
        assertThat(put(path(axon, "failed_one"), "{\"result\":{\"error\":\"boom\"},\"status\":\"failed\"}")
                .json().get("status").asText()).isEqualTo("failed");
    }

    @Test
    void ofTwentyConcurrentWritersExactlyOneRecords() throws Exception {
        String axon = s.createAxon("journal-race");
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<TestServer.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                int writer = i;
                replies.add(CompletableFuture.supplyAsync(() -> {
                    Await.latch("the start", Duration.ofSeconds(30), go);
                    return put(path(axon, "tool_call_1"), "{\"result\":" + writer + "}");
                }, pool));
            }
            go.countDown();
            int created = 0;
            Integer winner = null;
            for (CompletableFuture<TestServer.Reply> f : replies) {
                TestServer.Reply r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isIn(200, 201);
                if (r.status() == 201) {
                    created++;
                }
                int result = r.json().get("result").asInt();
                if (winner == null) {
                    winner = result;
                }
                assertThat(result).as("every writer gets the one record").isEqualTo(winner);
            }
            assertThat(created).isEqualTo(1);
        }
    }

    @Test
    void listingIsInRecordingOrderWithPrefixAndCursor() {
        String axon = s.createAxon("journal-list");
        for (String step : new String[] {"b_1", "a_1", "b_2", "c_1", "b_3"}) {
            assertThat(put(path(axon, step), "{\"result\":\"" + step + "\"}").status()).isEqualTo(201);
        }
        JsonNode all = s.get("/v1/axons/" + axon + "/journal").json();
        assertThat(names(all)).containsExactly("b_1", "a_1", "b_2", "c_1", "b_3");
        assertThat(all.get("has_more").asBoolean()).isFalse();
        JsonNode page1 = s.get("/v1/axons/" + axon + "/journal?prefix=b_&limit=2").json();
        assertThat(names(page1)).containsExactly("b_1", "b_2");
        assertThat(page1.get("has_more").asBoolean()).isTrue();
        assertThat(page1.get("steps").get(0).has("chunks")).as("listings carry no chunks").isFalse();
        JsonNode page2 = s.get("/v1/axons/" + axon + "/journal?prefix=b_&limit=2&starting_after=b_2").json();
        assertThat(names(page2)).containsExactly("b_3");
        assertThat(page2.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void aStreamedStepIsACachedResultOnlyOnceCompleted() {
        String axon = s.createAxon("journal-stream");
        String chunks = path(axon, "model_call_1") + "/chunks";
        JsonNode first = s.post(chunks, "{\"chunks\":[\"Hel\",\"lo\"],\"restart\":true}").json();
        assertThat(first.get("status").asText()).isEqualTo("streaming");
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("chunk_count").asInt()).isEqualTo(2);
        assertThat(s.post(chunks, "{\"chunks\":[{\"delta\":\"!\"}],\"attempt\":1}").json().get("chunk_count").asInt())
                .isEqualTo(3);

        // The process crashed; the next attempt starts over: the chunks so far are discarded.
        JsonNode restarted = s.post(chunks, "{\"chunks\":[\"Hi\"],\"restart\":true}").json();
        assertThat(restarted.get("attempt").asInt()).isEqualTo(2);
        assertThat(restarted.get("chunk_count").asInt()).isEqualTo(1);
        TestServer.Reply stale = s.post(chunks, "{\"chunks\":[\"late\"],\"attempt\":1}");
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.response().headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(stale.json().get("step").get("attempt").asInt()).isEqualTo(2);
        assertThat(s.post(path(axon, "model_call_1") + "/complete", "{\"attempt\":1}").status()).isEqualTo(409);
        JsonNode mid = s.get(path(axon, "model_call_1")).json();
        assertThat(mid.get("status").asText()).isEqualTo("streaming");

        TestServer.Reply done = s.post(path(axon, "model_call_1") + "/complete",
                "{\"result\":{\"usage\":7},\"attempt\":2}");
        assertThat(done.status()).as(done.body()).isEqualTo(201);
        assertThat(done.json().get("created").asBoolean()).isTrue();
        TestServer.Reply again = s.post(path(axon, "model_call_1") + "/complete", "{\"result\":{\"usage\":8}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("result").get("usage").asInt()).isEqualTo(7);

        JsonNode replay = s.get(path(axon, "model_call_1")).json();
        assertThat(replay.get("status").asText()).isEqualTo("completed");
        assertThat(replay.get("chunks").toString()).isEqualTo("[\"Hi\"]");
        TestServer.Reply sealed = s.post(chunks, "{\"chunks\":[\"more\"]}");
        assertThat(sealed.status()).isEqualTo(409);
        assertThat(sealed.json().get("step").get("status").asText()).isEqualTo("completed");
        assertThat(s.post(chunks, "{\"chunks\":[],\"restart\":true}").status()).as("a sealed step never restarts")
                .isEqualTo(409);
    }

    @Test
    void aPutRecordsOverAStreamNeverCompleted() {
        String axon = s.createAxon("journal-stream-put");
        s.post(path(axon, "s") + "/chunks", "{\"chunks\":[1,2,3]}");
        TestServer.Reply r = put(path(axon, "s"), "{\"result\":\"whole\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode got = s.get(path(axon, "s")).json();
        assertThat(got.get("result").asText()).isEqualTo("whole");
        assertThat(got.get("chunks")).isEmpty();
    }

    @Test
    void forgottenStepsRunAgain() {
        String axon = s.createAxon("journal-forget");
        for (String step : new String[] {"turn_1.a", "turn_1.b", "turn_2.a"}) {
            put(path(axon, step), "{\"result\":1}");
        }
        s.post(path(axon, "turn_1.c") + "/chunks", "{\"chunks\":[1]}");
        TestServer.Reply gone = s.delete("/v1/axons/" + axon + "/journal?prefix=turn_1.");
        assertThat(gone.status()).as(gone.body()).isEqualTo(200);
        assertThat(gone.json().get("deleted").asInt()).isEqualTo(3);
        assertThat(names(s.get("/v1/axons/" + axon + "/journal").json())).containsExactly("turn_2.a");
        assertThat(put(path(axon, "turn_1.a"), "{\"result\":2}").status()).isEqualTo(201);
        assertThat(s.delete(path(axon, "turn_2.a")).status()).isEqualTo(200);
        assertThat(s.delete(path(axon, "turn_2.a")).status()).isEqualTo(404);
        assertThat(s.delete("/v1/axons/" + axon + "/journal?prefix=").json().get("deleted").asInt()).isEqualTo(1);
        assertThat(names(s.get("/v1/axons/" + axon + "/journal").json())).isEmpty();
    }

    @Test
    void aRetriedAppendUnderOneKeyAppendsOnce() {
        String axon = s.createAxon("journal-retry");
        String chunks = path(axon, "s") + "/chunks";
        Map<String, String> key = Map.of("Idempotency-Key", "append-1");
        TestServer.Reply a = s.post(chunks, "{\"chunks\":[1,2]}", key);
        TestServer.Reply b = s.post(chunks, "{\"chunks\":[1,2]}", key);
        assertThat(b.json()).isEqualTo(a.json());
        assertThat(s.get(path(axon, "s")).json().get("chunk_count").asInt()).isEqualTo(2);
        assertThat(s.post(chunks, "{\"chunks\":[3]}", key).status()).as("same key, other request").isEqualTo(422);
    }

    @Test
    void recordsSurviveARestartAndGoWithTheirAxon() throws Exception {
        String axon = s.createAxon("journal-durable");
        put(path(axon, "paid_call"), "{\"result\":{\"cost\":3}}");
        s.post(path(axon, "stream") + "/chunks", "{\"chunks\":[\"a\"]}");
        s.stop();
        s.restart();
        assertThat(s.get(path(axon, "paid_call")).json().get("result").get("cost").asInt()).isEqualTo(3);
        assertThat(s.get(path(axon, "stream")).json().get("chunks").toString()).isEqualTo("[\"a\"]");

        assertThat(s.delete("/v1/axons/" + axon).status()).isEqualTo(200);
        assertThat(s.get(path(axon, "paid_call")).status()).isEqualTo(404);
        assertThat(put(path(axon, "paid_call"), "{\"result\":1}").status()).isEqualTo(404);
        Await.until("the purge removes the axon's journal rows", Duration.ofSeconds(30), () -> rowsLeft(axon) == 0);
    }

    /** The journal rows of a purged axon, or -1 while it is not purged yet. */
    static long rowsLeft(String axon) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.dataDir().resolve("myelin.db"));
             PreparedStatement ps = c.prepareStatement("SELECT a.purged, (SELECT count(*) FROM journal_steps j"
                     + " WHERE j.axon = a.pk) + (SELECT count(*) FROM journal_chunks k JOIN journal_steps j"
                     + " ON j.pk = k.step WHERE j.axon = a.pk) FROM axons a WHERE a.id = ?")) {
            ps.setString(1, axon);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1 ? rs.getLong(2) : -1;
            }
        }
    }

    static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("steps").forEach(n -> out.add(n.get("step").asText()));
        return out;
    }
}
