package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The intent records against the wire's JSON, both ways, and the 409 that carries an intent. */
@Timeout(30)
class IntentWireTest {
    private static final String RESOLVED = """
            {"id":"int_abcdefghijklmnopqrstuvwx","axon_id":"axn_1","kind":"refund.approval","waiting_for":"human",
             "status":"completed","title":"Refund?","payload":{"order":1234},"assignee":"bob","fire_at_ms":null,
             "deadline_ms":1700000060000,"remind_every_ms":600000,"next_remind_at_ms":1700000600000,"on_deadline":"escalate","escalate_to":"bob",
             "escalation_level":1,"created_at_ms":1700000000000,"updated_at_ms":1700000030000,
             "resolved_at_ms":1700000030000,
             "resolution":{"outcome":"approved","result":{"refund_id":"r_9"},"comment":"ok","resolved_by":"key_1",
                            "resolved_by_user":"alice@example.com"}}
            """;

    @Test
    void anIntentViewReadsIntoTheRecord() throws Exception {
        Intent i = Json.read(RESOLVED, Intent.class);
        assertThat(i.id()).isEqualTo("int_abcdefghijklmnopqrstuvwx");
        assertThat(i.axonId()).isEqualTo("axn_1");
        assertThat(i.waitingFor()).isEqualTo(WaitingFor.HUMAN);
        assertThat(i.status()).isEqualTo(IntentStatus.COMPLETED);
        assertThat(i.waiting()).isFalse();
        assertThat(i.payload().get("order").asInt()).isEqualTo(1234);
        assertThat(i.fireAtMs()).isNull();
        assertThat(i.deadlineMs()).isEqualTo(1700000060000L);
        assertThat(i.nextRemindAtMs()).isEqualTo(1700000600000L);
        assertThat(i.onDeadline()).isEqualTo(OnDeadline.ESCALATE);
        assertThat(i.escalationLevel()).isEqualTo(1);
        assertThat(i.resolvedAtMs()).isEqualTo(1700000030000L);
        assertThat(i.resolution()).isEqualTo(new IntentResolution(IntentOutcome.APPROVED,
                Json.MAPPER.readTree("{\"refund_id\":\"r_9\"}"), "ok", "key_1", "alice@example.com"));
    }

    @Test
    void nullsAndValuesNewerThanTheClientReadSafely() throws Exception {
        Intent i = Json.read("""
                {"id":"int_x","axon_id":"axn_1","kind":"k","waiting_for":"oracle","status":"snoozed","title":null,
                 "payload":null,"on_deadline":"page","escalation_level":0,"created_at_ms":1,"updated_at_ms":1,
                 "resolution":{"outcome":"vetoed","result":null,"comment":null,"resolved_by":"key_1"}}
                """, Intent.class);
        assertThat(i.waitingFor()).isEqualTo(WaitingFor.UNKNOWN);
        assertThat(i.status()).isEqualTo(IntentStatus.UNKNOWN);
        assertThat(i.onDeadline()).isEqualTo(OnDeadline.UNKNOWN);
        assertThat(i.payload()).isNull();
        assertThat(i.resolution().outcome()).isEqualTo(IntentOutcome.UNKNOWN);
        assertThat(i.resolution().result()).isNull();
    }

    @Test
    void aNewIntentWritesTheCreateBodyInSnakeCaseWithoutAbsentFields() throws Exception {
        NewIntent n = NewIntent.builder("refund.approval", WaitingFor.HUMAN)
                .title("Refund?")
                .payload(Map.of("order", 1234))
                .assignee("alice")
                .deadline(Instant.ofEpochMilli(1_700_000_060_000L))
                .remindEvery(Duration.ofMinutes(10))
                .onDeadline(OnDeadline.ESCALATE)
                .escalateTo("bob")
                .build();
        JsonNode body = Json.MAPPER.readTree(Json.text(n));
        assertThat(body).isEqualTo(Json.MAPPER.readTree("""
                {"kind":"refund.approval","waiting_for":"human","title":"Refund?","payload":{"order":1234},
                 "assignee":"alice","deadline_ms":1700000060000,"remind_every_ms":600000,"on_deadline":"escalate",
                 "escalate_to":"bob"}
                """));
        JsonNode timer = Json.MAPPER.readTree(Json.text(NewIntent.builder("tick", WaitingFor.TIME)
                .fireAt(Instant.ofEpochMilli(5)).build()));
        assertThat(timer).isEqualTo(Json.MAPPER.readTree("{\"kind\":\"tick\",\"waiting_for\":\"time\",\"fire_at_ms\":5}"));
        JsonNode relative = Json.MAPPER.readTree(Json.text(NewIntent.builder("tick", WaitingFor.TIME)
                .fireAt(Instant.ofEpochMilli(5)).fireIn(Duration.ofMinutes(5))
                .deadline(Instant.ofEpochMilli(9)).deadlineIn(Duration.ofMinutes(10)).build()));
        assertThat(relative).as("delays go as delays, and the later form replaces the earlier")
                .isEqualTo(Json.MAPPER.readTree("""
                        {"kind":"tick","waiting_for":"time","fire_in_ms":300000,"deadline_in_ms":600000}
                        """));
    }

    @Test
    void whatCannotBeSentIsRefusedBeforeSending() {
        assertThatThrownBy(() -> NewIntent.builder(" ", WaitingFor.HUMAN).build()).hasMessageContaining("kind");
        assertThatThrownBy(() -> NewIntent.builder("k", null).build()).hasMessageContaining("waitingFor");
        assertThatThrownBy(() -> NewIntent.builder("k", WaitingFor.UNKNOWN).build()).hasMessageContaining("waitingFor");
        assertThatThrownBy(() -> IntentFilter.all().pageSize(0)).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> IntentFilter.all().pageSize(1001)).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> IntentFilter.all().status(IntentStatus.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
        for (IntentOutcome o : IntentOutcome.values()) {
            assertThat(o.resolvable()).as("%s", o)
                    .isEqualTo(o == IntentOutcome.APPROVED || o == IntentOutcome.REJECTED
                            || o == IntentOutcome.COMPLETED || o == IntentOutcome.FAILED);
        }
        assertThat(IntentStatus.parse("expired")).isEqualTo(IntentStatus.EXPIRED);
        assertThat(WaitingFor.parse("Human")).isEqualTo(WaitingFor.UNKNOWN);
    }

    @Test
    void aConflictCarryingTheIntentIsTypedAndAPlainOneIsNot() {
        MyelinApiException typed = Transport.error(409,
                "{\"error\":{\"type\":\"conflict\",\"message\":\"intent is not waiting\"},\"intent\":" + RESOLVED + "}");
        assertThat(typed).isInstanceOfSatisfying(IntentConflictException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.type()).isEqualTo("conflict");
            assertThat(e.intent().status()).isEqualTo(IntentStatus.COMPLETED);
            assertThat(e.intent().resolution().resolvedBy()).isEqualTo("key_1");
            assertThat(e.getMessage()).contains("intent is not waiting", "is completed, approved by key_1");
        });
        MyelinApiException plain = Transport.error(409, "{\"error\":{\"type\":\"conflict\",\"message\":\"busy\"}}");
        assertThat(plain).isExactlyInstanceOf(ConflictException.class);
    }
}
