package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.client.TurnEvent.AgentResult;
import io.myelin.client.TurnEvent.AgentText;
import io.myelin.client.TurnEvent.DevboxLifecycle;
import io.myelin.client.TurnEvent.PermissionRequest;
import io.myelin.client.TurnEvent.ToolCall;
import io.myelin.client.TurnEvent.TurnCompleted;
import io.myelin.client.TurnEvent.TurnFailed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parts of {@link TurnEvents} that a real agent does not reach in the CLI's tests ({@code ExecAgentTest} reads
 * the real agents' turns): who may say what, and the shapes those tests' agents do not write. Pure parsing, no
 * server.
 */
@Timeout(30)
class TurnEventsTest {
    private static AxonEvent event(Origin origin, String type, String payload) {
        return new AxonEvent("axn_test", 7, type, origin, "test", payload, 0);
    }

    @Test
    void aClientCannotEndATurnOrSpeakForTheAgent() {
        String end = "{\"turn_id\":\"turn_1\",\"stop_reason\":\"end_turn\"}";
        assertThat(TurnEvents.of(event(Origin.USER_EVENT, "turn.completed", end))).isEmpty();
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "turn.completed", end))).isEmpty();
        assertThat(TurnEvents.of(event(Origin.SYSTEM_EVENT, "turn.completed", end)))
                .singleElement().isInstanceOfSatisfying(TurnCompleted.class, c -> {
                    assertThat(c.turnId()).isEqualTo("turn_1");
                    assertThat(c.cancelled()).isFalse();
                });
        String chunk = "{\"sessionId\":\"s\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\","
                + "\"content\":{\"type\":\"text\",\"text\":\"hi\"}}}";
        assertThat(TurnEvents.of(event(Origin.USER_EVENT, "session/update", chunk))).isEmpty();
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "session/update", chunk))).singleElement()
                .isEqualTo(new AgentText(event(Origin.AGENT_EVENT, "session/update", chunk), "hi", false));
    }

    @Test
    void cancelledFailedAndLifecycleShapes() {
        assertThat(TurnEvents.of(event(Origin.SYSTEM_EVENT, "turn.completed",
                "{\"turn_id\":\"turn_3\",\"stop_reason\":\"cancelled\"}")))
                .singleElement().isInstanceOfSatisfying(TurnCompleted.class, c -> assertThat(c.cancelled()).isTrue());
        assertThat(TurnEvents.of(event(Origin.SYSTEM_EVENT, "turn.failed",
                "{\"turn_id\":\"turn_3\",\"error\":\"broker restarted\",\"stop_reason\":\"error\"}")))
                .singleElement().isInstanceOfSatisfying(TurnFailed.class, f -> {
                    assertThat(f.error()).isEqualTo("broker restarted");
                    assertThat(f.stopReason()).isEqualTo("error");
                });
        assertThat(TurnEvents.of(event(Origin.SYSTEM_EVENT, "devbox.failed", "{\"devbox_id\":\"dbx_1\",\"reason\":\"execution_failed\"}")))
                .singleElement().isInstanceOfSatisfying(DevboxLifecycle.class, d -> {
                    assertThat(d.status()).isEqualTo("failed");
                    assertThat(d.reason()).isEqualTo("execution_failed");
                });
        assertThat(TurnEvents.of(event(Origin.SYSTEM_EVENT, "devbox.exploded", "{}"))).isEmpty();
    }

    @Test
    void anAcpPromptAnswerAThoughtAndAClaudeLineWithSeveralBlocks() {
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "session/prompt", "{\"stopReason\":\"max_tokens\"}")))
                .singleElement().isInstanceOfSatisfying(AgentResult.class, r -> {
                    assertThat(r.stopReason()).isEqualTo("max_tokens");
                    assertThat(r.isError()).isFalse();
                });
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "session/prompt", "{\"code\":-32603,\"message\":\"boom\"}")))
                .singleElement().isInstanceOfSatisfying(AgentResult.class, r -> {
                    assertThat(r.isError()).isTrue();
                    assertThat(r.text()).isEqualTo("boom");
                });
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "session/update", "{\"sessionId\":\"s\",\"update\":"
                + "{\"sessionUpdate\":\"agent_thought_chunk\",\"content\":{\"type\":\"text\",\"text\":\"hmm\"}}}")))
                .singleElement().isInstanceOfSatisfying(AgentText.class, t -> assertThat(t.thought()).isTrue());

        List<TurnEvent> blocks = TurnEvents.of(event(Origin.AGENT_EVENT, "assistant", "{\"type\":\"assistant\","
                + "\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"plan\"},{\"type\":\"text\",\"text\":\"Sure.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{\"path\":\"a.txt\"}}]}}"));
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0)).isInstanceOfSatisfying(AgentText.class, t -> assertThat(t.thought()).isTrue());
        assertThat(blocks.get(1)).isInstanceOfSatisfying(AgentText.class, t -> assertThat(t.text()).isEqualTo("Sure."));
        assertThat(blocks.get(2)).isInstanceOfSatisfying(ToolCall.class, c -> {
            assertThat(c.toolCallId()).isEqualTo("toolu_1");
            assertThat(c.title()).isEqualTo("Read");
            assertThat(c.rawInput()).isEqualTo("{\"path\":\"a.txt\"}");
        });
        assertThat(TurnEvents.of(event(Origin.AGENT_EVENT, "control_request", "{\"type\":\"control_request\","
                + "\"request_id\":\"req_9\",\"request\":{\"subtype\":\"can_use_tool\",\"tool_name\":\"Bash\","
                + "\"input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_2\"}}")))
                .singleElement().isInstanceOfSatisfying(PermissionRequest.class, p -> {
                    assertThat(p.protocol()).isEqualTo("claude_json");
                    assertThat(p.requestId()).isEqualTo("req_9");
                    assertThat(p.options()).isEmpty();
                });
    }

    @Test
    void payloadsThatAreNotTheShapeAreNothingNeverAnException() {
        for (String payload : List.of("", "not json", "[]", "42", "null", "{\"update\":7}", "{\"message\":{\"content\":\"x\"}}")) {
            for (String type : List.of("turn.completed", "session/update", "session/request_permission", "assistant",
                    "control_request", "result")) {
                Origin origin = type.startsWith("turn.") ? Origin.SYSTEM_EVENT : Origin.AGENT_EVENT;
                List<TurnEvent> parsed = TurnEvents.of(event(origin, type, payload));
                if (!payload.startsWith("{")) {
                    assertThat(parsed).as(type + " " + payload).isEmpty();
                }
            }
        }
    }
}
