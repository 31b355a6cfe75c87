package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.TempDirs;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Intent timers on a clock the test moves: a time intent fires, a deadline expires or escalates once then expires,
 * reminders repeat (missed ones collapse into one), and what fell due while the server was down fires at the next
 * start, once each, in due order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IntentTimersTest {
    private final ManualClock clock = new ManualClock();
    private Path dir;
    private TestServer s;
    private long t0;

    @BeforeEach
    void start() {
        dir = TempDirs.create("intent-timers");
        s = TestServer.start(dir, Map.of(), c -> c.withClock(clock), null);
        t0 = clock.millis();
    }

    @AfterEach
    void stop() {
        s.close();
        TempDirs.deleteTree(dir);
    }

    private String create(String axon, String body) {
        TestServer.Reply r = s.post("/v1/axons/" + axon + "/intents", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private JsonNode awaitIntent(String id, String what, java.util.function.Predicate<JsonNode> done) {
        return Await.until(what, Duration.ofSeconds(30), () -> s.get("/v1/intents/" + id).json(), done);
    }

    private List<String> types(String axon) {
        List<String> out = new ArrayList<>();
        JsonNode events = s.get("/v1/axons/" + axon + "/events?limit=1000").json().get("events");
        List<JsonNode> sorted = new ArrayList<>();
        events.forEach(sorted::add);
        sorted.sort((a, b) -> Long.compare(a.get("sequence").asLong(), b.get("sequence").asLong()));
        sorted.forEach(e -> out.add(e.get("event_type").asText() + " " + idOf(e)));
        return out;
    }

    private static String idOf(JsonNode event) {
        String p = event.get("payload").asText();
        int at = p.indexOf("int_");
        return at < 0 ? "" : p.substring(at, at + 30);
    }

    @Test
    void aTimeIntentFiresAtItsTime() {
        String axon = s.createAxon("clock");
        String id = create(axon, "{\"kind\":\"reminder\",\"waiting_for\":\"time\",\"fire_at_ms\":" + (t0 + 5000) + "}");
        clock.advance(Duration.ofMillis(4999));
        assertThat(s.get("/v1/intents/" + id).json().get("status").asText()).isEqualTo("waiting");
        clock.advance(Duration.ofMillis(1));
        JsonNode fired = awaitIntent(id, "the time intent to fire", i -> !i.get("status").asText().equals("waiting"));
        assertThat(fired.get("status").asText()).isEqualTo("completed");
        assertThat(fired.get("resolution").get("outcome").asText()).isEqualTo("fired");
        assertThat(fired.get("resolution").get("resolved_by").asText()).isEqualTo("system");
        assertThat(types(axon)).containsExactly("intent.created " + id, "intent.resolved " + id);
    }

    @Test
    void aDeadlineEscalatesOnceThenExpires() {
        String axon = s.createAxon("deadline");
        String plain = create(axon, "{\"kind\":\"a\",\"waiting_for\":\"human\",\"deadline_ms\":" + (t0 + 1000) + "}");
        String esc = create(axon, "{\"kind\":\"a\",\"waiting_for\":\"human\",\"assignee\":\"ana\",\"deadline_ms\":"
                + (t0 + 1000) + ",\"on_deadline\":\"escalate\",\"escalate_to\":\"boss\"}");
        clock.advance(Duration.ofMillis(1000));
        assertThat(awaitIntent(plain, "expiry", i -> i.get("status").asText().equals("expired"))
                .get("resolution").get("outcome").asText()).isEqualTo("expired");
        JsonNode escalated = awaitIntent(esc, "escalation", i -> i.get("escalation_level").asInt() == 1);
        assertThat(escalated.get("status").asText()).isEqualTo("waiting");
        assertThat(escalated.get("assignee").asText()).isEqualTo("boss");
        assertThat(escalated.get("deadline_ms").asLong()).isEqualTo(t0 + 2000);
        clock.advance(Duration.ofMillis(1000));
        awaitIntent(esc, "expiry after escalation", i -> i.get("status").asText().equals("expired"));
        assertThat(types(axon)).containsExactly("intent.created " + plain, "intent.created " + esc,
                "intent.expired " + plain, "intent.escalated " + esc, "intent.expired " + esc);
    }

    @Test
    void remindersRepeatAndMissedOnesCollapse() {
        String axon = s.createAxon("remind");
        String id = create(axon, "{\"kind\":\"a\",\"waiting_for\":\"human\",\"remind_every_ms\":1000}");
        clock.advance(Duration.ofMillis(1000));
        awaitIntent(id, "a reminder", i -> i.get("next_remind_at_ms").asLong() == t0 + 2000);
        clock.advance(Duration.ofMillis(3500));
        awaitIntent(id, "one reminder for three missed", i -> i.get("next_remind_at_ms").asLong() == t0 + 5000);
        s.post("/v1/intents/" + id + "/cancel", "{\"reason\":\"done\"}");
        assertThat(types(axon)).containsExactly("intent.created " + id, "intent.reminded " + id,
                "intent.reminded " + id, "intent.cancelled " + id);
        assertThat(s.get("/v1/intents/" + id).json().get("next_remind_at_ms").isNull()).isTrue();
    }

    @Test
    void whatFellDueWhileDownFiresAtStartOnceInDueOrder() {
        String axon = s.createAxon("downtime");
        List<String> ids = new ArrayList<>();
        for (int i = 5; i >= 1; i--) { // created latest-due first, so creation order is not due order
            ids.add(0, create(axon, "{\"kind\":\"t\",\"waiting_for\":\"time\",\"fire_at_ms\":" + (t0 + i * 1000L) + "}"));
        }
        String deadline = create(axon, "{\"kind\":\"d\",\"waiting_for\":\"tool\",\"deadline_ms\":" + (t0 + 2500) + "}");
        s.stop();
        clock.advance(Duration.ofMinutes(10));
        s.restart();
        Await.until("every timer fired", Duration.ofSeconds(30), () -> types(axon).size() == 12);
        List<String> fired = types(axon).subList(6, 12);
        assertThat(fired).containsExactly("intent.resolved " + ids.get(0), "intent.resolved " + ids.get(1),
                "intent.expired " + deadline, "intent.resolved " + ids.get(2), "intent.resolved " + ids.get(3),
                "intent.resolved " + ids.get(4));
        s.stop();
        clock.advance(Duration.ofMinutes(10));
        s.restart();
        String marker = create(axon, "{\"kind\":\"m\",\"waiting_for\":\"time\",\"fire_at_ms\":" + clock.millis() + "}");
        awaitIntent(marker, "a timer after the restart", i -> i.get("status").asText().equals("completed"));
        assertThat(types(axon)).hasSize(14); // nothing fired twice: only the marker's two events are new
    }
}
