package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.client.AxonEvent;
import io.myelin.client.BrokerState;
import io.myelin.client.Origin;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Claude stream-json relay against the test tree's two-way fake of Claude Code ({@code fake-claude.mjs}), driven
 * the way Runloop's remote-agents client drives it: {@code query}, {@code control_request} and
 * {@code control_response} lines in, every line the agent writes out under its own {@code type}.
 */
@Timeout(180)
class ClaudeBrokerTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    /** A stream-json {@code user} line, as the remote-agents client's {@code send} writes it. */
    static JsonNode user(String text) {
        ObjectNode line = AxonTail.JSON.createObjectNode().put("type", "user");
        line.putObject("message").put("role", "user").put("content", text);
        return line.putNull("parent_tool_use_id");
    }

    @Test
    void aQueryTurnWithAToolTheClientAllows() throws Exception {
        String axon = brokers.newAxon("claude-query");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("control_request", Map.of("type", "control_request", "request_id", "req_1",
                    "request", Map.of("subtype", "initialize", "hooks", Map.of())));
            JsonNode init = AxonTail.json(tail.nextAgent("control_response"));
            assertThat(init.path("response").path("request_id").asText()).isEqualTo("req_1");

            long query = tail.user("query", user("list the notes [tool]"));
            assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + query);
            JsonNode system = AxonTail.json(tail.nextAgent("system"));
            assertThat(system.path("subtype").asText()).isEqualTo("init");
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("tool_use"), "the tool_use");
            JsonNode ask = AxonTail.json(tail.nextAgent("control_request"));
            assertThat(ask.path("request").path("subtype").asText()).isEqualTo("can_use_tool");
            tail.user("control_response", Map.of("type", "control_response", "response", Map.of("subtype", "success",
                    "request_id", ask.path("request_id").asText(), "response",
                    Map.of("behavior", "allow", "updatedInput", ask.path("request").path("input")))));
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("was allowed"), "the allowed tool's text");
            AxonEvent result = tail.nextAgent("result");
            assertThat(AxonTail.json(result).path("subtype").asText()).isEqualTo("success");
            JsonNode completed = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(completed.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(result.sequence()).isLessThan(tail.seen().getLast().sequence());
        }
    }

    @Test
    void plainMessagesAndAnInterruptedTurn() throws Exception {
        String axon = brokers.newAxon("claude-plain");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "hello"));
            tail.nextSystem("turn.started");
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("Echo: hello"), "the echo");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("end_turn");

            tail.user("message", Map.of("text", "wait [slow]"));
            tail.nextSystem("turn.started");
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("Waiting for an interrupt"), "the wait");
            tail.user("turn.cancel", Map.of());
            AxonEvent result = tail.nextAgent("result");
            assertThat(AxonTail.json(result).path("subtype").asText()).isEqualTo("error_during_execution");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("cancelled");
            assertThat(tail.seen()).as("the broker's own interrupt is answered to no client")
                    .noneMatch(e -> e.eventType().equals("control_response"));

            // a client's own interrupt, as ClaudeAxonConnection.interrupt() sends it, gets its answer
            tail.user("query", user("wait again [slow]"));
            tail.nextSystem("turn.started");
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("Waiting for an interrupt"), "the wait");
            tail.user("control_request", Map.of("type", "control_request", "request_id", "req_interrupt",
                    "request", Map.of("subtype", "interrupt")));
            JsonNode ack = AxonTail.json(tail.nextAgent("control_response"));
            assertThat(ack.path("response").path("request_id").asText()).isEqualTo("req_interrupt");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void aRestartedAgentResumesItsSessionAndACrashFailsTheTurn() throws Exception {
        String axon = brokers.newAxon("claude-resume");
        LocalBrokers.Calls calls = new LocalBrokers.Calls();
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude(), calls);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("query", user("remember the blue door"));
            String session = AxonTail.json(tail.nextAgent("system")).path("session_id").asText();
            tail.nextSystem("turn.completed");

            broker.shutdown(Duration.ofSeconds(5));
            tail.user("message", Map.of("text", "what did I ask before?"));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.calls.contains("wake"));
            broker.resume();
            tail.nextSystem("turn.started");
            assertThat(AxonTail.json(tail.nextAgent("system")).path("session_id").asText()).isEqualTo(session);
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("Earlier prompts in this session: 1"),
                    "an answer that knows the earlier prompt");
            tail.nextSystem("turn.completed");

            long crash = tail.user("message", Map.of("text", "now fall over [crash]"));
            tail.nextSystem("turn.started");
            assertThat(AxonTail.json(tail.nextSystem("agent.error")).path("type").asText()).isEqualTo("agent_exited");
            JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
            assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + crash);

            tail.user("message", Map.of("text", "still there?"));
            tail.nextSystem("turn.started");
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("Earlier prompts in this session: 3"),
                    "the resumed session after the crash");
            tail.nextSystem("turn.completed");
            assertThat(tail.seen()).filteredOn(e -> e.eventType().equals("system") && e.origin() == Origin.AGENT_EVENT)
                    .extracting(e -> AxonTail.json(e).path("session_id").asText()).containsOnly(session);
        }
    }

    @Test
    void stderrBecomesAgentLog() throws Exception {
        String axon = brokers.newAxon("claude-stderr");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "say something on stderr [stderr]"));
            // stderr and stdout are two pipes: the log line may land before or after the turn's end
            JsonNode log = AxonTail.json(tail.any(e -> e.eventType().equals("agent.log"), "agent.log"));
            assertThat(log.path("log_type").asText()).isEqualTo("stderr");
            assertThat(log.path("message").asText()).contains("[stderr] marker");
            tail.any(e -> e.eventType().equals("turn.completed"), "turn.completed");
        }
    }

    @Test
    void anAgentThatCannotResumeItsSessionStartsANewOneAfterDyingTwice() throws Exception {
        String axon = brokers.newAxon("claude-lost-session");
        brokers.client.axon(axon).broker().save(new BrokerState(0, 0, 0, null, 0, "no-such-session",
                AxonTail.JSON.createObjectNode()), "seed-state");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            String stop = null;
            for (int attempt = 0; attempt < 4 && stop == null; attempt++) {
                tail.user("message", Map.of("text", "hello again"));
                AxonEvent end = tail.next(e -> e.eventType().equals("turn.completed") || e.eventType().equals("turn.failed"),
                        "the end of a turn");
                stop = end.eventType().equals("turn.completed") ? AxonTail.json(end).path("stop_reason").asText() : null;
            }
            assertThat(stop).isEqualTo("end_turn");
            assertThat(tail.seen()).filteredOn(e -> e.eventType().equals("agent.error"))
                    .extracting(e -> AxonTail.json(e).path("type").asText()).contains("restore_failed");
            assertThat(brokers.client.axon(axon).broker().state().sessionId()).isNotEqualTo("no-such-session");
        }
    }
}
