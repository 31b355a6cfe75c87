package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.client.Origin;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled turn whose agent ignores the cancel ends at {@code agents.cancel-timeout}: {@code agent.error {type:
 * "cancel_timeout"}}, {@code turn.completed {stop_reason: "cancelled"}}, and the turn queued behind it runs on a new
 * agent that got the conversation back ({@code session/load}, {@code --resume}). The agents are the test tree's real
 * ones, whose {@code [deaf]} marker makes them ignore {@code session/cancel} and interrupts.
 */
@Timeout(180)
class CancelTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void anAcpAgentThatIgnoresSessionCancelIsStoppedAndTheNextTurnRunsOnANewOne() throws Exception {
        TestServer server = start();
        try (MyelinClient client = AcpStartupTest.client(server)) {
            String axon = server.createAxon("cancel-timeout-acp");
            mount(server, axon, "acp", "acp-agent");
            try (AxonTail tail = new AxonTail(client, axon)) {
                finish(tail, tail.user("message", Map.of("text", "remember the blue door")), "end_turn");

                long deaf = tail.user("message", Map.of("text", "never stop [deaf]"));
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + deaf);
                tail.next(said("Ignoring session/cancel."), "the deaf agent's chunk");
                long next = tail.user("message", Map.of("text", "what did I ask before?"));
                tail.user("session/cancel", Map.of());

                assertStoppedAndCancelled(tail, deaf);
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + next);
                tail.next(said("Earlier prompts in this session: 2"), "the answer of the restored session");
                finish(tail, next, "end_turn");
                assertThat(tail.seen()).noneMatch(e -> e.eventType().equals("turn.failed"));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aClaudeAgentThatIgnoresAnInterruptIsStoppedAndTheNextTurnResumesItsSession() throws Exception {
        TestServer server = start();
        try (MyelinClient client = AcpStartupTest.client(server)) {
            String axon = server.createAxon("cancel-timeout-claude");
            mount(server, axon, "claude_json", "fake-claude");
            try (AxonTail tail = new AxonTail(client, axon)) {
                finish(tail, tail.user("message", Map.of("text", "remember the blue door")), "end_turn");

                long deaf = tail.user("query", ClaudeBrokerTest.user("never stop [deaf]"));
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + deaf);
                tail.next(said("Ignoring interrupts."), "the deaf agent's text");
                long next = tail.user("message", Map.of("text", "what did I ask before?"));
                tail.user("control_request", Map.of("type", "control_request", "request_id", "req_interrupt",
                        "request", Map.of("subtype", "interrupt")));
                JsonNode ack = AxonTail.json(tail.nextAgent("control_response"));
                assertThat(ack.path("response").path("request_id").asText()).isEqualTo("req_interrupt");

                assertStoppedAndCancelled(tail, deaf);
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + next);
                tail.next(said("Earlier prompts in this session: 2"), "the answer of the resumed session");
                finish(tail, next, "end_turn");
                assertThat(tail.seen()).noneMatch(e -> e.eventType().equals("turn.failed"));
            }
        } finally {
            server.close();
        }
    }

    private TestServer start() throws Exception {
        return TestServer.start(dir.resolve("data"), Map.of("agents.binaries", TestAgents.binaries(),
                "agents.cancel-timeout", "1s", "devboxes.stop-timeout", "5s"));
    }

    /** The deaf turn ends cancelled, after an agent.error that says the agent did not stop. */
    private static void assertStoppedAndCancelled(AxonTail tail, long deaf) throws InterruptedException {
        JsonNode error = AxonTail.json(tail.next(e -> e.origin() == Origin.SYSTEM_EVENT
                && e.eventType().equals("agent.error"), "agent.error"));
        assertThat(error.path("type").asText()).isEqualTo("cancel_timeout");
        assertThat(error.path("message").asText())
                .isEqualTo("the agent did not end turn_" + deaf + " within 1s of its cancel; the agent was stopped");
        finish(tail, deaf, "cancelled");
    }

    private static void finish(AxonTail tail, long trigger, String stopReason) throws InterruptedException {
        JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
        assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + trigger);
        assertThat(done.path("stop_reason").asText()).isEqualTo(stopReason);
    }

    private static Predicate<AxonEvent> said(String text) {
        return e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains(text);
    }

    private static void mount(TestServer server, String axon, String protocol, String agent) {
        TestServer.Reply r = server.post("/v1/devboxes", Map.of("mounts", List.of(Map.of("type", "broker_mount",
                "axon_id", axon, "protocol", protocol, "agent_binary", agent))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String turnId(AxonEvent e) {
        return AxonTail.json(e).path("turn_id").asText();
    }
}
