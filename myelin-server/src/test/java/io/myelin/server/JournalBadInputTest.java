package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Router;
import io.myelin.server.routes.JournalRoutes;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every journal field refused with a 4xx that names it, and nothing written: bodies, sizes past their limits, step
 * names, query parameters; and which action each journal route needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithMyelinServer({"journal.max-result-bytes=1000", "journal.max-chunks=5"})
class JournalBadInputTest {
    @InjectServer
    static TestServer s;
    static String axon;
    static String base;

    @BeforeAll
    static void axon() {
        axon = s.createAxon("journal-bad-input");
        base = "/v1/axons/" + axon + "/journal/";
        assertThat(s.post(base + "sealed/complete", "{\"result\":1}").status()).isEqualTo(201);
    }

    static TestServer.Reply put(String path, String body) {
        return s.send(s.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String big(String body) {
        return body.replace("\"BIG\"", "\"" + "x".repeat(1000) + "\"").replace("\"HALF\"", "\"" + "x".repeat(600) + "\"");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                  | 400 | result
            {"result":1,"status":"done"}        | 400 | status
            {"result":1,"status":"streaming"}   | 400 | status
            {"result":1,"status":3}             | 400 | status
            {"result":1,"resutl":2}             | 422 | resutl
            {"result":"BIG"}                    | 413 | result
            """)
    void putRefusesNamingTheField(String body, int status, String field) {
        TestServer.Reply r = put(base + "p", big(body));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        assertThat(s.get(base + "p").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                     | 400 | chunks
            {"chunks":"a"}                         | 400 | chunks
            {"chunks":[1],"restart":"yes"}         | 400 | restart
            {"chunks":[1],"attempt":0}             | 400 | attempt
            {"chunks":[1],"attempt":1.5}           | 400 | attempt
            {"chunks":[1],"attempt":99999999999}   | 400 | attempt
            {"chunks":[1],"more":true}             | 422 | more
            {"chunks":[1,2,3,4,5,6]}               | 413 | chunks
            {"chunks":["BIG"]}                     | 413 | chunks[0]
            {"chunks":["HALF","HALF"]}             | 413 | chunks
            """)
    void appendRefusesNamingTheField(String body, int status, String field) {
        TestServer.Reply r = s.post(base + "c/chunks", big(body));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        assertThat(s.get(base + "c").status()).isEqualTo(404);
    }

    @Test
    void limitsHoldAcrossAppendsAndTheCompletion() {
        assertThat(s.post(base + "l/chunks", "{\"chunks\":[1,2,3]}").status()).isEqualTo(200);
        TestServer.Reply r = s.post(base + "l/chunks", "{\"chunks\":[4,5,6]}");
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.errorField()).isEqualTo("chunks");
        assertThat(r.body()).contains("journal.max-chunks");
        assertThat(s.post(base + "m/chunks", big("{\"chunks\":[\"HALF\"]}")).status()).isEqualTo(200);
        TestServer.Reply c = s.post(base + "m/complete", big("{\"result\":\"HALF\"}"));
        assertThat(c.status()).as(c.body()).isEqualTo(413);
        assertThat(c.errorField()).isEqualTo("result");
        assertThat(s.get(base + "m").json().get("status").asText()).isEqualTo("streaming");
    }

    @Test
    void completeAndStepNamesAndQueriesRefuseNamingTheField() {
        for (String[] b : new String[][] {{"{\"attempt\":\"1\"}", "attempt"}, {"{\"status\":\"failed\"}", "status"},
                {big("{\"result\":\"BIG\"}"), "result"}}) {
            TestServer.Reply r = s.post(base + "k/complete", b[0]);
            assertThat(r.status()).as(b[0]).isBetween(400, 422);
            assertThat(r.errorField()).as(r.body()).isEqualTo(b[1]);
        }
        TestServer.Reply tooLong = put(base + "s".repeat(257), "{\"result\":1}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errorField()).isEqualTo("step");
        assertThat(put(base + "é".repeat(256).replace("é", "%C3%A9"), "{\"result\":1}").status())
                .as("256 characters are allowed, whatever their UTF-8 size").isEqualTo(201);
        assertThat(put(base + "bad%C3", "{\"result\":1}").errorField()).as("strict decoding").isEqualTo("path");
        assertThat(put(base + "a%2Fb", "{\"result\":1}").errorField()).as("no encoded slash").isEqualTo("path");
        assertThat(put(base + "a%00b", "{\"result\":1}").errorField()).isEqualTo("path");

        for (String[] q : new String[][] {{"limit=0", "limit"}, {"limit=5001", "limit"}, {"limit=x", "limit"},
                {"starting_after=nope", "starting_after"}, {"prefix=" + "p".repeat(257), "prefix"},
                {"starting_after=" + "p".repeat(257), "starting_after"}}) {
            TestServer.Reply g = s.get("/v1/axons/" + axon + "/journal?" + q[0]);
            assertThat(g.status()).as(q[0]).isEqualTo(400);
            assertThat(g.errorField()).as(q[0]).isEqualTo(q[1]);
        }
        TestServer.Reply noPrefix = s.delete("/v1/axons/" + axon + "/journal");
        assertThat(noPrefix.status()).isEqualTo(400);
        assertThat(noPrefix.errorField()).isEqualTo("prefix");
        assertThat(s.get(base + "sealed").status()).as("nothing was forgotten").isEqualTo(200);
        assertThat(s.get("/v1/axons/axn_nope/journal/x").status()).isEqualTo(404);
        assertThat(put("/v1/axons/axn_nope/journal/x", "{\"result\":1}").status()).isEqualTo(404);
        assertThat(s.get("/v1/axons/axn_nope/journal").status()).isEqualTo(404);
    }

    @Test
    void readingNeedsJournalReadAndEveryChangeJournalWrite() {
        Router router = new Router();
        new JournalRoutes(null, null).register(router);
        String p = "/v1/axons/axn_a/journal";
        assertThat(router.match("GET", p).action()).isEqualTo(Action.JOURNAL_READ);
        assertThat(router.match("GET", p + "/s").action()).isEqualTo(Action.JOURNAL_READ);
        for (String[] w : new String[][] {{"PUT", p + "/s"}, {"DELETE", p + "/s"}, {"DELETE", p},
                {"POST", p + "/s/chunks"}, {"POST", p + "/s/complete"}}) {
            assertThat(router.match(w[0], w[1]).action()).as(w[0] + " " + w[1]).isEqualTo(Action.JOURNAL_WRITE);
        }
        AccessPolicy policy = new AccessPolicy();
        Caller reader = new Caller("key_r", Set.of(Scope.axon("axn_a", Action.JOURNAL_READ)), null, "req");
        policy.check(reader, Action.JOURNAL_READ, "axn_a");
        Assertions.assertThatThrownBy(() -> policy.check(reader, Action.JOURNAL_WRITE, "axn_a"))
                .isInstanceOf(MyelinException.class);
        Assertions.assertThatThrownBy(() -> policy.check(reader, Action.JOURNAL_READ, "axn_b"))
                .isInstanceOf(MyelinException.class);
    }
}
