package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every intent field refused with a 4xx that names it, and nothing created: wrong types, out-of-range times, rules
 * between fields, sizes past their limits, unknown fields, bad query parameters.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithMyelinServer({"intents.max-payload-bytes=1000", "intents.max-text-chars=100", "intents.max-wait=5s",
        "intents.min-remind-every=1s", "intents.max-horizon=1h"})
class IntentBadInputTest {
    @InjectServer
    static TestServer s;
    static String axon;
    static String waiting;

    @BeforeAll
    static void axon() {
        axon = s.createAxon("bad-input");
        waiting = s.post("/v1/axons/" + axon + "/intents", "{\"kind\":\"k\",\"waiting_for\":\"human\"}")
                .json().get("id").asText();
    }

    static String future(long ms) {
        return Long.toString(System.currentTimeMillis() + ms);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                          | 400 | kind
            {"kind":"k"}                                                | 400 | waiting_for
            {"kind":"k","waiting_for":"someone"}                        | 400 | waiting_for
            {"kind":"k","waiting_for":7}                                | 400 | waiting_for
            {"kind":5,"waiting_for":"human"}                            | 400 | kind
            {"kind":"","waiting_for":"human"}                           | 400 | kind
            {"kind":"has space","waiting_for":"human"}                  | 400 | kind
            {"kind":"k","waiting_for":"human","titel":"typo"}           | 422 | titel
            {"kind":"k","waiting_for":"human","title":["x"]}            | 400 | title
            {"kind":"k","waiting_for":"human","assignee":""}            | 400 | assignee
            {"kind":"k","waiting_for":"human","assignee":"a\\u0000b"}   | 400 | assignee
            {"kind":"k","waiting_for":"time"}                           | 400 | fire_at_ms
            {"kind":"k","waiting_for":"time","fire_at_ms":"soon"}       | 400 | fire_at_ms
            {"kind":"k","waiting_for":"time","fire_at_ms":-1}           | 400 | fire_at_ms
            {"kind":"k","waiting_for":"time","fire_at_ms":1.5}          | 400 | fire_at_ms
            {"kind":"k","waiting_for":"time","fire_at_ms":99999999999999999999} | 400 | fire_at_ms
            {"kind":"k","waiting_for":"human","fire_at_ms":1}           | 400 | fire_at_ms
            {"kind":"k","waiting_for":"human","deadline_ms":1}          | 400 | deadline_ms
            {"kind":"k","waiting_for":"human","deadline_ms":FAR}        | 400 | deadline_ms
            {"kind":"k","waiting_for":"human","remind_every_ms":999}    | 400 | remind_every_ms
            {"kind":"k","waiting_for":"human","remind_every_ms":3600001} | 400 | remind_every_ms
            {"kind":"k","waiting_for":"human","on_deadline":"explode","deadline_ms":SOON} | 400 | on_deadline
            {"kind":"k","waiting_for":"human","on_deadline":"expire"}   | 400 | on_deadline
            {"kind":"k","waiting_for":"human","on_deadline":"escalate","deadline_ms":SOON} | 400 | escalate_to
            {"kind":"k","waiting_for":"human","on_deadline":"escalate","escalate_to":"b"} | 400 | deadline_ms
            {"kind":"k","waiting_for":"human","escalate_to":"b"}        | 400 | escalate_to
            {"kind":"k","waiting_for":"human","payload":"BIG"}          | 413 | payload
            {"kind":"k","waiting_for":"human","title":"LONG"}           | 400 | title
            {"kind":"k","waiting_for":"human","payload":DEEP}           | 400 | payload
            """)
    void createRefusesNamingTheField(String body, int status, String field) {
        String b = body.replace("FAR", future(2 * 3_600_000L)).replace("SOON", future(60_000))
                .replace("\"BIG\"", "\"" + "x".repeat(1000) + "\"").replace("\"LONG\"", "\"" + "t".repeat(101) + "\"")
                .replace("DEEP", "[".repeat(101) + "]".repeat(101));
        long before = count();
        TestServer.Reply r = s.post("/v1/axons/" + axon + "/intents", b);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        assertThat(count()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                         | 400 | outcome
            {"outcome":"maybe"}                        | 400 | outcome
            {"outcome":"fired"}                        | 400 | outcome
            {"outcome":"expired"}                      | 400 | outcome
            {"outcome":"approved","comment":7}         | 400 | comment
            {"outcome":"approved","note":"typo"}       | 422 | note
            {"outcome":"approved","comment":"LONG"}    | 400 | comment
            {"outcome":"approved","result":"BIG"}      | 413 | result
            """)
    void resolveRefusesNamingTheField(String body, int status, String field) {
        String b = body.replace("\"BIG\"", "\"" + "x".repeat(1000) + "\"")
                .replace("\"LONG\"", "\"" + "t".repeat(101) + "\"");
        TestServer.Reply r = s.post("/v1/intents/" + waiting + "/resolve", b);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        assertThat(s.get("/v1/intents/" + waiting).json().get("status").asText()).isEqualTo("waiting");
    }

    @Test
    void cancelAndQueriesRefuseNamingTheField() {
        TestServer.Reply r = s.post("/v1/intents/" + waiting + "/cancel", "{\"reason\":5}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorField()).isEqualTo("reason");
        assertThat(s.post("/v1/intents/" + waiting + "/cancel", "{\"why\":\"x\"}").errorField()).isEqualTo("why");
        for (String[] q : new String[][] {{"wait_ms=5001", "wait_ms"}, {"wait_ms=-1", "wait_ms"},
                {"wait_ms=soon", "wait_ms"}}) {
            TestServer.Reply g = s.get("/v1/intents/" + waiting + "?" + q[0]);
            assertThat(g.status()).as(q[0]).isEqualTo(400);
            assertThat(g.errorField()).as(q[0]).isEqualTo(q[1]);
        }
        for (String[] q : new String[][] {{"status=open", "status"}, {"waiting_for=god", "waiting_for"},
                {"limit=0", "limit"}, {"limit=5001", "limit"}, {"starting_after=int_nope", "starting_after"}}) {
            TestServer.Reply g = s.get("/v1/intents?" + q[0]);
            assertThat(g.status()).as(q[0]).isEqualTo(400);
            assertThat(g.errorField()).as(q[0]).isEqualTo(q[1]);
        }
        assertThat(s.get("/v1/intents/int_doesnotexist").status()).isEqualTo(404);
        assertThat(s.get("/v1/intents/axn_x").status()).isEqualTo(404);
        assertThat(s.post("/v1/intents/int_doesnotexist/resolve", "{\"outcome\":\"approved\"}").status())
                .isEqualTo(404);
        assertThat(s.post("/v1/axons/axn_nope/intents", "{\"kind\":\"k\",\"waiting_for\":\"human\"}").status())
                .isEqualTo(404);
    }

    private static long count() {
        return s.get("/v1/intents?axon_id=" + axon + "&include_total_count=true").json().get("total_count").asLong();
    }
}
