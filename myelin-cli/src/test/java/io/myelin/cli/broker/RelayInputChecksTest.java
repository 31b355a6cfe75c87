package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.client.AxonEvent;
import io.myelin.client.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the broker does with input it cannot relay, with real agents: a client's answer to an agent's request that is
 * not a JSON object is refused with an {@code agent.error} event and leaves the request waiting for a correct
 * answer (ACP and Claude alike); plain lines an agent prints on stdout are limited as its stderr is.
 */
@Timeout(120)
class RelayInputChecksTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    private static JsonNode invalid(AxonTail tail) throws InterruptedException {
        return AxonTail.json(tail.next(e -> e.origin() == Origin.SYSTEM_EVENT
                && e.eventType().equals("agent.error"), "an agent.error about the bad input"));
    }

    @Test
    void anAcpAnswerThatIsNotAnObjectLeavesTheRequestWaiting() throws Exception {
        String axon = brokers.newAxon("acp-bad-answer");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "update the configuration"));
            tail.nextSystem("turn.started");
            tail.nextAgent("session/request_permission");

            long notJson = tail.user("session/request_permission", "not json at all");
            JsonNode first = invalid(tail);
            assertThat(first.path("type").asText()).isEqualTo("invalid_answer");
            assertThat(first.path("message").asText()).contains("#" + notJson).contains("not JSON at all")
                    .contains("it still waits");
            tail.user("session/request_permission", List.of("allow"));
            assertThat(invalid(tail).path("message").asText()).contains("a JSON array");

            tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "allow")));
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("successfully updated"),
                    "the agent's text after the permission was granted");
            JsonNode completed = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(completed.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(tail.seen()).noneMatch(e -> e.eventType().equals("turn.failed"));
        }
    }

    @Test
    void aClaudeControlLineThatIsNotAnObjectIsReported() throws Exception {
        String axon = brokers.newAxon("claude-bad-control");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long badRequest = tail.user("control_request", "[1, 2]");
            JsonNode error = invalid(tail);
            assertThat(error.path("type").asText()).isEqualTo("invalid_input");
            assertThat(error.path("message").asText()).contains("control_request #" + badRequest).contains("a JSON array");

            tail.user("query", ClaudeBrokerTest.user("list the notes [tool]"));
            JsonNode ask = AxonTail.json(tail.nextAgent("control_request"));
            assertThat(ask.path("request").path("subtype").asText()).isEqualTo("can_use_tool");
            tail.user("control_response", "not json at all");
            assertThat(invalid(tail).path("message").asText()).contains("control_response").contains("not JSON at all");
            tail.user("control_response", Map.of("type", "control_response", "response", Map.of("subtype", "success",
                    "request_id", ask.path("request_id").asText(), "response",
                    Map.of("behavior", "allow", "updatedInput", ask.path("request").path("input")))));
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("was allowed"), "the allowed tool's text");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("end_turn");
        }
    }

    @Test
    void plainStdoutLinesAreLimitedLikeStderr() throws Exception {
        String axon = brokers.newAxon("acp-stdout-flood");
        List<String> agent = TestAgents.acpWithLoadSession();
        // 2000 plain lines at once, then (beside the agent) one line every 0.2 s, slower than the limit refills: the
        // first of those to be read once the broker has worked through the flood passes, however long that took.
        String flood = "i=0; while [ $i -lt 2000 ]; do echo \"noise $i\"; i=$((i+1)); done;"
                + " (j=0; while [ $j -lt 600 ]; do sleep 0.2; echo 'after the flood'; j=$((j+1)); done) &"
                + " exec \"$0\" \"$@\"";
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", flood));
        command.addAll(agent);
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, command);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            AxonEvent last = tail.any(e -> e.eventType().equals("agent.log") && e.payload().contains("after the flood"),
                    "the line after the flood");
            JsonNode log = AxonTail.json(last);
            assertThat(log.path("log_type").asText()).isEqualTo("stdout");
            List<String> messages = tail.seen().stream().filter(e -> e.eventType().equals("agent.log"))
                    .map(e -> AxonTail.json(e).path("message").asText()).toList();
            assertThat(messages).as("stdout lines published as agent.log").hasSizeLessThan(1000);
            assertThat(messages).as("the first line through after a drop counts the dropped ones")
                    .anyMatch(m -> m.matches("\\[\\d+ lines dropped\\] .*"));
        }
    }
}
