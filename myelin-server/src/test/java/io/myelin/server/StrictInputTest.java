package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.server.http.ErrorHandling;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Text that is not what it claims to be is refused with a JSON 4xx before anything is stored, never silently
 * rewritten; every error, on every method, has a JSON body. Each case is an input that was accepted (or answered
 * 500, or answered without a body) before strict input handling.
 */
@Timeout(120)
@WithMyelinServer
class StrictInputTest {
    @InjectServer
    static TestServer s;
    static RawHttp raw;

    @BeforeAll
    static void start() throws Exception {
        raw = new RawHttp(s.server().port());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] withBytes(String before, String hex, String after) {
        return RawHttp.concat(RawHttp.concat(ascii(before), HexFormat.of().parseHex(hex)), ascii(after));
    }

    private static JsonNode history(String id) {
        return s.get("/v1/axons/" + id + "/events?limit=100").json().get("events");
    }

    @Test
    void invalidUtf8InAPublishBodyIsRefusedAndNothingIsStored() {
        String id = s.createAxon("utf8");
        String prefix = "{\"event_type\":\"msg\",\"origin\":\"USER_EVENT\",\"source\":\"cli\",\"payload\":\"x";
        for (String[] c : new String[][] {{"c0af", "overlong"}, {"e080af", "overlong"}, {"f08080af", "overlong"},
                {"f4908080", "above U+10FFFF"}, {"c080", "overlong"}, {"c1bf", "overlong"}}) {
            RawHttp.Answer a = raw.send("POST", "/v1/axons/" + id + "/publish", withBytes(prefix, c[0], "\"}"));
            assertThat(a.status()).as(c[0]).isEqualTo(400);
            assertThat(a.errorField()).isEqualTo("body");
            assertThat(a.errorMessage()).as(c[0]).contains("not valid UTF-8", c[1], "byte offset " + (prefix.length()));
        }
        assertThat(history(id)).isEmpty();
    }

    @Test
    void overlongQuoteInSqlTextIsRefused() {
        String id = s.createAxon("sql-overlong");
        RawHttp.Answer a = raw.send("POST", "/v1/axons/" + id + "/sql/query",
                withBytes("{\"sql\":\"select '", "c0a7", "'\"}"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorMessage()).contains("overlong encoding at byte offset 16");
    }

    @Test
    void loneSurrogatesAreRefusedEverywhereAndNothingIsStored() throws Exception {
        String id = s.createAxon("lone");
        try (SseClient live = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            RawHttp.Answer pub = raw.send("POST", "/v1/axons/" + id + "/publish", ascii(
                    "{\"event_type\":\"msg\",\"origin\":\"USER_EVENT\",\"source\":\"cli\",\"payload\":\"lone:\\ud800 end\"}"));
            assertThat(pub.status()).isEqualTo(400);
            assertThat(pub.errorMessage()).contains("unpaired surrogate escape \\ud800 at byte offset 73");
            assertThat(s.publish(id, "after", "ok").status()).isEqualTo(200);
            assertThat(live.next(10_000).json().get("event_type").asText()).isEqualTo("after");
        }
        assertThat(history(id)).hasSize(1);

        long axonsBefore = s.get("/v1/axons?limit=1").json().get("total_count").asLong();
        RawHttp.Answer name = raw.send("POST", "/v1/axons", ascii("{\"name\":\"n\\ud800m\"}"));
        assertThat(name.status()).isEqualTo(400);
        assertThat(name.errorMessage()).contains("\\ud800");
        assertThat(s.get("/v1/axons?limit=1").json().get("total_count").asLong()).isEqualTo(axonsBefore);

        assertThat(s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "CREATE TABLE t (v TEXT)")).status()).isEqualTo(200);
        RawHttp.Answer param = raw.send("POST", "/v1/axons/" + id + "/sql/query",
                ascii("{\"sql\":\"INSERT INTO t VALUES (?)\",\"params\":[\"a\\ud800b\"]}"));
        assertThat(param.status()).isEqualTo(400);
        RawHttp.Answer batch = raw.send("POST", "/v1/axons/" + id + "/sql/batch",
                ascii("{\"statements\":[{\"sql\":\"INSERT INTO t VALUES ('\\udc00')\"}]}"));
        assertThat(batch.status()).isEqualTo(400);
        assertThat(s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "SELECT count(*) AS n FROM t")).json()
                .at("/rows/0/0").asLong()).isZero();
    }

    @Test
    void validNonBmpTextAndNulRoundTripLiveInHistoryInReplayAndInSql() throws Exception {
        String id = s.createAxon("😀 name \u0000");
        String payload = "smile 😀 nul \u0000 é \uffff end";
        try (SseClient live = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse")) {
            TestServer.Reply r = s.publish(id, "msg", payload);
            assertThat(r.status()).isEqualTo(200);
            assertThat(live.next(10_000).json().get("payload").asText()).isEqualTo(payload);
        }
        assertThat(history(id).get(0).get("payload").asText()).isEqualTo(payload);
        try (SseClient replay = new SseClient(s, "/v1/axons/" + id + "/subscribe/sse?after_sequence=0")) {
            assertThat(replay.next(10_000).json().get("payload").asText()).isEqualTo(payload);
        }
        assertThat(s.get("/v1/axons/" + id).json().get("name").asText()).isEqualTo("😀 name \u0000");

        s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "CREATE TABLE t (v TEXT)"));
        assertThat(s.post("/v1/axons/" + id + "/sql/query",
                Map.of("sql", "INSERT INTO t VALUES (?)", "params", List.of(payload))).status()).isEqualTo(200);
        JsonNode row = s.post("/v1/axons/" + id + "/sql/query",
                Map.of("sql", "SELECT v, hex(v) AS h, '😀' AS lit FROM t")).json().at("/rows/0");
        assertThat(row.get(0).asText()).isEqualTo(payload);
        assertThat(row.get(1).asText()).isEqualTo(HexFormat.of().withUpperCase().formatHex(payload.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get(2).asText()).isEqualTo("😀");
    }

    @Test
    void jsonThatIsNotRfc8259IsRefused() {
        String id = s.createAxon("json");
        String publish = "/v1/axons/" + id + "/publish";
        RawHttp.Answer dup = raw.send("POST", publish, ascii(
                "{\"event_type\":\"m\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"a\",\"payload\":\"b\"}"));
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.errorMessage()).contains("Duplicate field 'payload'");
        assertThat(raw.send("POST", "/v1/axons", ascii("{}{}")).errorMessage()).contains("more text follows");
        assertThat(raw.send("POST", "/v1/axons", ascii("{} x")).status()).isEqualTo(400);
        assertThat(raw.send("POST", "/v1/axons", withBytes("", "efbbbf", "{}")).errorMessage()).contains("byte order mark");
        assertThat(raw.send("POST", "/v1/axons", ascii("{\"name\":\"a\tb\"}")).errorMessage()).contains("0x09");
        assertThat(raw.send("POST", "/v1/axons", withBytes("", "feff007b007d", "")).status()).isEqualTo(400);
        assertThat(raw.send("POST", "/v1/axons", withBytes("", "7b00", "}")).errorMessage()).contains("0x00 at byte offset 1");
        assertThat(raw.send("POST", "/v1/axons", ascii("   ")).errorMessage()).contains("no JSON value");
        assertThat(raw.send("POST", "/v1/axons", new byte[0]).errorMessage()).contains("empty");
        RawHttp.Answer deep = raw.send("POST", "/v1/axons", ascii("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}"));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.errorMessage()).contains("nesting depth");
        RawHttp.Answer utf16 = raw.exchange(ascii("POST /v1/axons HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json; charset=utf-16\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}"), false);
        assertThat(utf16.status()).isEqualTo(415);
        assertThat(history(id)).isEmpty();
    }

    @Test
    void queryParametersAreDecodedStrictly() {
        String id = s.createAxon("query");
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY;
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/v1/axons?name=%C0%AF", "name");
        cases.put("/v1/axons?starting_after=%ED%A0%80", "starting_after");
        cases.put("/v1/axons?search=%F4%90%80%80", "search");
        cases.put("/v1/axons?name=%zz", "name");
        cases.put("/v1/axons?name=%", "name");
        cases.put("/v1/axons?name=%E2%82", "name");
        cases.put("/v1/axons?n%C0me=x", "query");
        cases.put("/v1/axons/" + id + "/events?starting_after=%C1%BF", "starting_after");
        cases.put("/v1/axons/" + id + "/subscribe/sse?after_sequence=%80", "after_sequence");
        cases.put("/v1/axons?name=\u00e9", "name");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            RawHttp.Answer a = raw.bodiless("GET", c.getKey(), auth);
            assertThat(a.status()).as(c.getKey()).isEqualTo(400);
            assertThat(a.errorField()).as(c.getKey()).isEqualTo(c.getValue());
        }
        assertThat(s.get("/v1/axons?name=%F0%9F%98%80+x").status()).isEqualTo(200);
    }

    @Test
    void everyQueryIsDecodedStrictlyOnEveryRouteAndEachParameterGivenOnce() {
        String id = s.createAxon("query-everywhere");
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY;
        String event = "{\"event_type\":\"m\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"x\"}";
        // Routes that read no parameter: the query is still decoded, and nothing is done.
        RawHttp.Answer publish = raw.send("POST", "/v1/axons/" + id + "/publish?x=%zz", ascii(event));
        assertThat(publish.status()).as(publish.toString()).isEqualTo(400);
        assertThat(publish.errorField()).isEqualTo("x");
        assertThat(history(id)).isEmpty();
        assertThat(raw.bodiless("GET", "/healthz?x=%zz").status()).isEqualTo(400);
        assertThat(raw.bodiless("GET", "/healthz?x=%zz").errorField()).isEqualTo("x");
        assertThat(raw.bodiless("GET", "/v1/axons/" + id + "?%C0=1", auth).errorField()).isEqualTo("query");

        // A repeated parameter is refused, naming it, instead of being read first-wins.
        Map<String, String> repeated = new LinkedHashMap<>();
        repeated.put("/v1/axons?limit=5000&limit=abc", "limit");
        repeated.put("/v1/axons?name=a&name=b", "name");
        repeated.put("/v1/axons/" + id + "/events?limit=1&limit=1", "limit");
        repeated.put("/v1/axons/" + id + "/subscribe/sse?after_sequence=0&after_sequence=9", "after_sequence");
        repeated.put("/healthz?x=1&x=2", "x");
        for (Map.Entry<String, String> c : repeated.entrySet()) {
            RawHttp.Answer a = raw.bodiless("GET", c.getKey(), auth);
            assertThat(a.status()).as(c.getKey()).isEqualTo(400);
            assertThat(a.errorField()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(a.errorMessage()).as(c.getKey()).contains("more than once");
        }
        assertThat(raw.bodiless("GET", "/v1/axons?limit=1&name=q", auth).status()).isEqualTo(200);
    }

    @Test
    void headersTheServerActsOnMayBeSentOnlyOnce() {
        String id = s.createAxon("headers-once");
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY;
        String event = "{\"event_type\":\"m\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"x\"}";
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("Authorization", new String[] {auth, "Authorization: Bearer other-key-0123456789abcdefghijklmnop"});
        cases.put("Idempotency-Key", new String[] {auth, "Idempotency-Key: a", "Idempotency-Key: b"});
        cases.put("X-Myelin-User", new String[] {auth, "X-Myelin-User: alice", "X-Myelin-User: bob"});
        cases.put("Content-Type", new String[] {auth, "Content-Type: application/json", "Content-Type: text/plain"});
        cases.put("X-Request-Id", new String[] {auth, "X-Request-Id: r1", "X-Request-Id: r2"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            StringBuilder head = new StringBuilder("POST /v1/axons/" + id + "/publish HTTP/1.1\r\nHost: localhost\r\n");
            for (String h : c.getValue()) {
                head.append(h).append("\r\n");
            }
            if (!c.getKey().equals("Content-Type")) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(event.length()).append("\r\nConnection: close\r\n\r\n").append(event);
            RawHttp.Answer a = raw.exchange(ascii(head.toString()), false);
            assertThat(a.status()).as(c.getKey() + ": " + a).isEqualTo(400);
            assertThat(a.errorField()).as(c.getKey()).isEqualTo(c.getKey());
        }
        assertThat(history(id)).as("nothing was published").isEmpty();
        RawHttp.Answer once = raw.bodiless("GET", "/v1/axons/" + id, auth, "X-Myelin-User: alice");
        assertThat(once.status()).isEqualTo(200);
    }

    @Test
    void pathParametersDotSegmentsAndAmbiguousEncodingsAreRefused() {
        String id = s.createAxon("path");
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY;
        RawHttp.Answer semicolon = raw.bodiless("DELETE", "/v1/axons/" + id + ";x", auth);
        assertThat(semicolon.status()).isEqualTo(400);
        assertThat(semicolon.errorField()).isEqualTo("path");
        assertThat(raw.bodiless("DELETE", "/v1/axons;x/" + id, auth).status()).isEqualTo(400);
        assertThat(s.get("/v1/axons/" + id).status()).isEqualTo(200);
        for (String target : List.of("/v1/axons/x/../" + id, "/v1/axons/./" + id, "/v1/axons/%2e%2e", "/v1/axons/a%2fb",
                "/v1/axons/%C0%AF", "/v1/axons/%ED%A0%80", "/v1/axons/%zz", "/v1/axons/%2e", "/v1/axons/" + id + "%3Bx")) {
            for (String method : List.of("GET", "DELETE", "POST", "PUT", "PATCH", "OPTIONS")) {
                RawHttp.Answer a = raw.bodiless(method, target, auth);
                assertThat(a.status()).as(method + " " + target).isIn(400, 404, 405);
                assertThat(a.headers().get("content-type")).as(method + " " + target).startsWith("application/json");
                assertThat(a.json().path("error").path("message").asText()).as(method + " " + target).isNotEmpty();
            }
        }
        assertThat(s.get("/v1/axons/" + id).status()).isEqualTo(200);
        RawHttp.Answer head = raw.bodiless("HEAD", "/v1/axons/%2e%2e", auth);
        assertThat(head.status()).isEqualTo(400);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void everyMethodGetsAJsonErrorBody() {
        String auth = "Authorization: Bearer " + TestServer.ADMIN_KEY;
        for (String method : List.of("DELETE", "PUT", "PATCH", "OPTIONS", "GET", "POST", "TRACE", "FOO")) {
            for (String target : List.of("/v1/axons/%2e%2e", "/v1/nothing", "/v1/axons")) {
                RawHttp.Answer a = raw.bodiless(method, target, auth);
                if (a.status() == 200) {
                    continue; // GET /v1/axons
                }
                assertThat(a.status()).as(method + " " + target).isBetween(400, 499);
                assertThat(a.json().path("error").path("type").asText()).as(method + " " + target).isNotEmpty();
            }
        }
    }

    @Test
    void metadataKeysFollowOneRuleWhenStoredAndWhenFiltered() {
        RawHttp.Answer nul = raw.bodiless("GET", "/v1/axons?metadata[k%00]=v", "Authorization: Bearer " + TestServer.ADMIN_KEY);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.errorField()).isEqualTo("metadata[k\u0000]");
        assertThat(s.get("/v1/axons?metadata[k%7F][in]=a,b").status()).isEqualTo(400);
        TestServer.Reply ctl = s.post("/v1/axons", Map.of("metadata", Map.of("a\u0001b", "v")));
        assertThat(ctl.status()).isEqualTo(400);
        assertThat(ctl.errorField()).isEqualTo("metadata");

        String tag = "t" + System.nanoTime();
        List<String> keys = List.of("a.b", "a[0]", "$", "$.x", "é", "😀", "quote\"d", "back\\slash", "sp ace", "*", "'",
                "k=v&x", "%41", "+");
        for (String key : keys) {
            String id = s.post("/v1/axons", Map.of("name", tag, "metadata", Map.of(key, "v-" + key))).json().get("id").asText();
            String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
            JsonNode eq = s.get("/v1/axons?name=" + tag + "&metadata%5B" + encoded + "%5D="
                    + java.net.URLEncoder.encode("v-" + key, StandardCharsets.UTF_8)).json();
            assertThat(eq.get("axons")).as(key).hasSize(1);
            assertThat(eq.get("axons").get(0).get("id").asText()).as(key).isEqualTo(id);
            JsonNode in = s.get("/v1/axons?name=" + tag + "&metadata%5B" + encoded + "%5D%5Bin%5D=zz,"
                    + java.net.URLEncoder.encode("v-" + key, StandardCharsets.UTF_8)).json();
            assertThat(in.get("axons")).as(key).hasSize(1);
        }
    }

    @Test
    void retryKeysAndBearerKeysMustBeVisibleAscii() {
        String id = s.createAxon("keys");
        String body = "{\"event_type\":\"m\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}";
        String head = "POST /v1/axons/" + id + "/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n";
        for (String header : List.of("Idempotency-Key", "X-Request-Id")) {
            for (String value : List.of("caf\u00e9", "a b", "x".repeat(257), "\u00c0\u00af")) {
                RawHttp.Answer a = raw.exchange(ascii(head + header + ": " + value + "\r\n\r\n" + body), false);
                assertThat(a.status()).as(header + " " + value).isEqualTo(400);
                assertThat(a.errorField()).isEqualTo(header);
            }
        }
        assertThat(history(id)).isEmpty();
        RawHttp.Answer ok = raw.exchange(ascii(head + "X-Request-Id: req-1\r\n\r\n" + body), false);
        assertThat(ok.status()).isEqualTo(200);

        String key = "secret\u00e9key";
        RawHttp.Answer bearer = raw.bodiless("GET", "/v1/axons", "Authorization: Bearer " + key);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.text()).doesNotContain("secret");
    }

    @Test
    void brokenBodiesAreClientErrorsLoggedQuietly() {
        String id = s.createAxon("broken");
        String head = "POST /v1/axons/" + id + "/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger handler = (Logger) LoggerFactory.getLogger(ErrorHandling.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level before = handler.getLevel();
        handler.setLevel(Level.DEBUG);
        List<RawHttp.Answer> answers = new ArrayList<>();
        try {
            answers.add(raw.exchange(ascii(head + "Content-Length: 100\r\n\r\n{\"event_type\":"), true));
            for (String size : List.of("zz", "-1", "ffffffffffffffffff", "1;" + "x".repeat(10))) {
                answers.add(raw.exchange(ascii(head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n{}\r\n0\r\n\r\n"), false));
            }
            answers.add(raw.exchange(ascii(head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":"), true));
            for (RawHttp.Answer a : answers) {
                assertThat(a.status()).as(a.toString()).isEqualTo(400);
                assertThat(a.json().path("error").path("message").asText()).isNotEmpty();
            }
            // A body that stops: a server of its own with a short body timeout, so no other test meets it.
            try (TestServer quick = TestServer.start(Map.of("http.body-timeout", "500ms"))) {
                RawHttp quickRaw = new RawHttp(quick.port());
                String quickHead = head.replace(id, quick.createAxon("stalled"));
                RawHttp.Answer stalled = quickRaw.exchange(ascii(quickHead + "Content-Length: 100\r\n\r\n{\"event_type\":"), false);
                assertThat(stalled.status()).isEqualTo(408);
                assertThat(stalled.errorMessage()).contains("http.body-timeout");
                RawHttp.Answer stalledChunks = quickRaw.exchange(ascii(quickHead + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n"), false);
                assertThat(stalledChunks.status()).isEqualTo(408);
            }
        } finally {
            root.detachAppender(logs);
            handler.setLevel(before);
        }
        List<ILoggingEvent> events = List.copyOf(logs.list);
        assertThat(events).as("log lines").allSatisfy(e -> {
            assertThat(e.getLevel().isGreaterOrEqual(Level.INFO)).as(e.getFormattedMessage()).isFalse();
            assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
        });
        assertThat(events.size()).isLessThanOrEqualTo(answers.size() + 2);
        assertThat(history(id)).isEmpty();
        assertThat(s.publish(id, "after", "still fine").status()).isEqualTo(200);
    }

    @Test
    void http2BodiesAreCheckedTheSameWay() {
        String id = s.createAxon("h2");
        var r = s.send(s.request("/v1/axons/" + id + "/publish").version(java.net.http.HttpClient.Version.HTTP_2)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(withBytes(
                        "{\"event_type\":\"m\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"", "eda080", "\"}")))
                .build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("surrogate encoded as UTF-8");
        assertThat(history(id)).isEmpty();
    }
}
