package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.client.AxonEvent;
import io.myelin.client.Origin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ACP relay against the ACP SDK's own example agent, driven through the axon the way Runloop's remote-agents
 * client drives it: every request a {@code USER_EVENT} named after its method, every answer an {@code AGENT_EVENT}.
 */
@Timeout(180)
class AcpBrokerTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    @Test
    void promptRoundTripWithChunksToolCallAndAPermissionAnsweredByAClient() throws Exception {
        String axon = brokers.newAxon("acp-round-trip");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("initialize", Map.of("protocolVersion", 1, "clientCapabilities", Map.of()));
            JsonNode init = AxonTail.json(tail.nextAgent("initialize"));
            assertThat(init.path("protocolVersion").asInt()).isEqualTo(1);
            assertThat(init.path("agentCapabilities").path("loadSession").asBoolean(true)).isFalse();

            tail.user("session/new", Map.of("cwd", "/tmp", "mcpServers", List.of()));
            String session = AxonTail.json(tail.nextAgent("session/new")).path("sessionId").asText();
            assertThat(session).isNotEmpty();

            long prompt = tail.user("session/prompt", Map.of("sessionId", session,
                    "prompt", List.of(Map.of("type", "text", "text", "hello"))));
            String turnId = AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText();
            assertThat(turnId).isEqualTo("turn_" + prompt);

            JsonNode chunk = AxonTail.json(tail.nextAgent("session/update"));
            assertThat(chunk.path("sessionId").asText()).isEqualTo(session);
            assertThat(chunk.path("update").path("sessionUpdate").asText()).isEqualTo("agent_message_chunk");
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("\"tool_call\""), "a tool call");

            JsonNode permission = AxonTail.json(tail.nextAgent("session/request_permission"));
            assertThat(permission.path("toolCall").path("toolCallId").asText()).isEqualTo("call_2");
            tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "allow")));

            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("successfully updated"),
                    "the agent's text after the permission was granted");
            JsonNode answer = AxonTail.json(tail.nextAgent("session/prompt"));
            assertThat(answer.path("stopReason").asText()).isEqualTo("end_turn");
            JsonNode completed = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(completed.path("turn_id").asText()).isEqualTo(turnId);
            assertThat(completed.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(tail.seen()).filteredOn(e -> e.origin() == Origin.SYSTEM_EVENT && e.eventType().startsWith("turn."))
                    .extracting(AxonEvent::eventType).containsExactly("turn.started", "turn.completed");
        }
    }

    @Test
    void aPlainMessageIsATurnTheBrokerInitializesAndOpensASessionFor() throws Exception {
        String axon = brokers.newAxon("acp-plain");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long msg = tail.user("message", Map.of("text", "what is in the project?"));
            assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + msg);
            JsonNode chunk = AxonTail.json(tail.nextAgent("session/update"));
            assertThat(chunk.path("sessionId").asText()).isNotEmpty();
            tail.nextAgent("session/request_permission");
            tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "reject")));
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("skip the configuration update"),
                    "the agent's text after the permission was refused");
            JsonNode completed = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(completed.path("turn_id").asText()).isEqualTo("turn_" + msg);
            assertThat(completed.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(tail.seen()).as("the broker's own initialize and session/new are not published")
                    .noneMatch(e -> e.eventType().equals("initialize") || e.eventType().equals("session/new"));
        }
    }

    @Test
    void turnsRunOneAtATimeInTheOrderTheirEventsArrived() throws Exception {
        String axon = brokers.newAxon("acp-queue");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long first = tail.user("message", Map.of("text", "one"));
            long second = tail.publish("webhook", Origin.EXTERNAL_EVENT, Map.of("ref", "main", "commits", 3));
            long third = tail.user("message", Map.of("text", "three"));
            for (long trigger : List.of(first, second, third)) {
                assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + trigger);
                tail.nextAgent("session/request_permission");
                tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "reject")));
                JsonNode done = AxonTail.json(tail.next(e -> e.origin() == Origin.SYSTEM_EVENT
                        && e.eventType().startsWith("turn."), "the end of turn_" + trigger));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + trigger);
                assertThat(done.path("stop_reason").asText()).isEqualTo("end_turn");
            }
            assertThat(tail.seen()).filteredOn(e -> e.origin() == Origin.SYSTEM_EVENT && e.eventType().startsWith("turn."))
                    .extracting(AxonEvent::eventType)
                    .containsExactly("turn.started", "turn.completed", "turn.started", "turn.completed",
                            "turn.started", "turn.completed");
        }
    }

    @Test
    void sessionCancelAndTurnCancelEndTheRunningTurnAsCancelled() throws Exception {
        String axon = brokers.newAxon("acp-cancel");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("initialize", Map.of("protocolVersion", 1, "clientCapabilities", Map.of()));
            tail.nextAgent("initialize");
            tail.user("session/new", Map.of("cwd", "/tmp", "mcpServers", List.of()));
            String session = AxonTail.json(tail.nextAgent("session/new")).path("sessionId").asText();

            tail.user("session/prompt", Map.of("sessionId", session, "prompt", List.of(Map.of("type", "text", "text", "go"))));
            tail.nextSystem("turn.started");
            tail.nextAgent("session/update");
            tail.user("session/cancel", Map.of("sessionId", session));
            assertThat(AxonTail.json(tail.nextAgent("session/prompt")).path("stopReason").asText()).isEqualTo("cancelled");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("cancelled");

            // turn.cancel from a client that knows nothing of ACP, while the agent waits for a permission
            tail.user("message", Map.of("text", "again"));
            tail.nextSystem("turn.started");
            tail.nextAgent("session/request_permission");
            tail.user("turn.cancel", Map.of());
            JsonNode done = AxonTail.json(tail.next(e -> e.origin() == Origin.SYSTEM_EVENT
                    && e.eventType().startsWith("turn."), "the end of the cancelled turn"));
            assertThat(done.path("stop_reason").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void largeMessagesQueuedBehindALongTurnRunInOrderWhenItEnds() throws Exception {
        String axon = brokers.newAxon("acp-big-queue");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "hold on [slow]"));
            tail.nextSystem("turn.started");
            String padding = "x".repeat(900_000);
            List<Long> queued = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                queued.add(tail.user("message", Map.of("text", "[chunks 1] message " + i + " " + padding)));
            }
            tail.user("turn.cancel", Map.of());
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("cancelled");
            for (long trigger : queued) {
                assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + trigger);
                JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + trigger);
                assertThat(done.path("stop_reason").asText()).isEqualTo("end_turn");
            }
        }
    }
}
