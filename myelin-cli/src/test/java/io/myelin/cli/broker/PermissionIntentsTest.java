package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.client.AxonBroker;
import io.myelin.client.ConflictException;
import io.myelin.client.MyelinApiException;
import io.myelin.client.Origin;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent's permission request waits as a human intent on the axon ({@code kind: "permission"}) beside its event:
 * resolving the intent answers the agent with the option chosen, cancelling it answers {@code cancelled}, a client's
 * answer to the event resolves the intent, and a cancelled turn or a closed broker cancels it. The agents are the
 * test tree's ACP agent, whose {@code [permission]} marker asks and reports the answer it got, and its fake of
 * Claude Code, whose {@code [tool]} marker sends a {@code can_use_tool} request.
 */
@Timeout(180)
class PermissionIntentsTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    @Test
    void resolvingTheIntentWithAnOfferedOptionAnswersTheAgentAndTheTurnCompletes() throws Exception {
        String axon = brokers.newAxon("permission-resolve");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "edit the notes [permission]"));
            tail.nextSystem("turn.started");
            JsonNode request = AxonTail.json(tail.nextAgent("session/request_permission"));
            JsonNode intent = AxonTail.json(tail.nextSystem("intent.created"));
            assertThat(intent.path("kind").asText()).isEqualTo("permission");
            assertThat(intent.path("waiting_for").asText()).isEqualTo("human");
            assertThat(intent.path("status").asText()).isEqualTo("waiting");
            assertThat(intent.path("title").asText()).isEqualTo("Writing notes.txt");
            JsonNode payload = intent.path("payload");
            assertThat(payload.path("tool_call")).isEqualTo(request.path("toolCall"));
            assertThat(payload.path("options").findValuesAsText("optionId")).containsExactly("allow", "reject");
            assertThat(payload.path("session_id").asText()).isEqualTo(request.path("sessionId").asText());
            assertThat(payload.path("request")).isEqualTo(request);

            AxonBroker api = brokers.client.axon(axon).broker();
            String id = intent.path("id").asText();
            MyelinApiException missing = catchThrowableOfType(MyelinApiException.class,
                    () -> api.resolveIntent(id, body("outcome", "completed"), null)); // approved would pick "allow"
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.field()).isEqualTo("result.option_id");
            MyelinApiException unknown = catchThrowableOfType(MyelinApiException.class,
                    () -> api.resolveIntent(id, resolution("approved", "maybe"), null));
            assertThat(unknown.field()).isEqualTo("result.option_id");
            assertThat(unknown.getMessage()).contains("maybe").contains("allow").contains("reject");

            JsonNode resolved = api.resolveIntent(id, resolution("approved", "allow"), null);
            assertThat(resolved.path("status").asText()).isEqualTo("completed");
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("Permission answer: selected allow"),
                    "the agent's report of the option chosen");
            JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(done.path("stop_reason").asText()).isEqualTo("end_turn");
        }
    }

    @Test
    void cancellingTheIntentAnswersTheAgentCancelled() throws Exception {
        String axon = brokers.newAxon("permission-cancel");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "[permission]"));
            String id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            brokers.client.axon(axon).broker().cancelIntent(id, body("reason", "not today"), null);
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("Permission answer: cancelled"),
                    "the agent's report of the cancelled answer");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText())
                    .isEqualTo("cancelled");
        }
    }

    @Test
    void aClientAnsweringTheEventResolvesTheIntentAndTheIntentNoLongerAnswers() throws Exception {
        String axon = brokers.newAxon("permission-legacy");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "[permission]"));
            tail.nextAgent("session/request_permission");
            String id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            Map<String, Object> answer = Map.of("outcome", Map.of("outcome", "selected", "optionId", "reject"));
            long answered = tail.user("session/request_permission", answer);

            JsonNode resolved = AxonTail.json(tail.nextSystem("intent.resolved"));
            assertThat(resolved.path("id").asText()).isEqualTo(id);
            assertThat(resolved.path("status").asText()).isEqualTo("completed");
            assertThat(resolved.path("resolution").path("outcome").asText()).isEqualTo("completed");
            assertThat(resolved.path("resolution").path("result")).isEqualTo(AxonTail.JSON.valueToTree(answer));
            assertThat(resolved.path("resolution").path("comment").asText()).endsWith("#" + answered);
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("Permission answer: selected reject"),
                    "the agent's report of the client's answer");
            tail.nextSystem("turn.completed");

            ConflictException late = catchThrowableOfType(ConflictException.class, () -> brokers.client.axon(axon)
                    .broker().resolveIntent(id, resolution("approved", "allow"), null));
            assertThat(late.status()).isEqualTo(409);
            assertThat(tail.drain()).as("the agent was answered once").filteredOn(e -> e.origin() == Origin.AGENT_EVENT
                    && e.payload().contains("Permission answer")).hasSize(1);
        }
    }

    @Test
    void aCancelledTurnCancelsItsPermissionIntent() throws Exception {
        String axon = brokers.newAxon("permission-turn-cancel");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "[permission]"));
            String id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            tail.user("turn.cancel", Map.of());
            JsonNode cancelled = AxonTail.json(tail.nextSystem("intent.cancelled"));
            assertThat(cancelled.path("id").asText()).isEqualTo(id);
            assertThat(cancelled.path("resolution").path("comment").asText()).isEqualTo("the turn was cancelled");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText())
                    .isEqualTo("cancelled");
        }
    }

    @Test
    void aBrokerClosedWhileTheAgentAsksCancelsTheIntentSoNoLateAnswerReachesAnotherAgent() throws Exception {
        String axon = brokers.newAxon("permission-close");
        try (AxonTail tail = new AxonTail(brokers.client, axon)) {
            String id;
            try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession())) {
                tail.user("message", Map.of("text", "[permission]"));
                id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            }
            JsonNode cancelled = AxonTail.json(tail.nextSystem("intent.cancelled"));
            assertThat(cancelled.path("id").asText()).isEqualTo(id);
            assertThat(AxonTail.json(tail.nextSystem("turn.failed")).path("error").asText())
                    .isEqualTo(cancelled.path("resolution").path("comment").asText());
            ConflictException late = catchThrowableOfType(ConflictException.class, () -> brokers.client.axon(axon)
                    .broker().resolveIntent(id, resolution("approved", "allow"), null));
            assertThat(late.status()).isEqualTo(409);
        }
    }

    @Test
    void claudesCanUseToolWaitsAsAnIntentWhoseBehaviorAnswersTheAgent() throws Exception {
        String axon = brokers.newAxon("permission-claude");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "show the notes [tool]"));
            JsonNode ask = AxonTail.json(tail.nextAgent("control_request"));
            JsonNode intent = AxonTail.json(tail.nextSystem("intent.created"));
            assertThat(intent.path("kind").asText()).isEqualTo("permission");
            assertThat(intent.path("title").asText()).startsWith("Bash");
            assertThat(intent.path("payload").path("tool_call").path("input"))
                    .isEqualTo(ask.path("request").path("input"));
            assertThat(intent.path("payload").path("request")).isEqualTo(ask);

            AxonBroker api = brokers.client.axon(axon).broker();
            String id = intent.path("id").asText();
            MyelinApiException unknown = catchThrowableOfType(MyelinApiException.class,
                    () -> api.resolveIntent(id, resolution("approved", "maybe"), null));
            assertThat(unknown.field()).isEqualTo("result.option_id");
            ObjectNode allow = body("outcome", "approved");
            allow.putObject("result").put("behavior", "allow");
            api.resolveIntent(id, allow, null);
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("was allowed and printed: ran: cat"),
                    "the allowed tool's text");
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText())
                    .isEqualTo("end_turn");
        }
    }

    @Test
    void claudesControlResponseResolvesTheIntentAndAnInterruptCancelsIt() throws Exception {
        String axon = brokers.newAxon("permission-claude-legacy");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.CLAUDE_JSON, TestAgents.fakeClaude());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("message", Map.of("text", "[tool]"));
            JsonNode ask = AxonTail.json(tail.nextAgent("control_request"));
            String id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            Map<String, Object> deny = Map.of("behavior", "deny", "message", "not now");
            tail.user("control_response", Map.of("type", "control_response", "response", Map.of("subtype", "success",
                    "request_id", ask.path("request_id").asText(), "response", deny)));
            JsonNode resolved = AxonTail.json(tail.nextSystem("intent.resolved"));
            assertThat(resolved.path("id").asText()).isEqualTo(id);
            assertThat(resolved.path("resolution").path("outcome").asText()).isEqualTo("completed");
            assertThat(resolved.path("resolution").path("result")).isEqualTo(AxonTail.JSON.valueToTree(deny));
            tail.next(e -> e.eventType().equals("assistant") && e.payload().contains("was denied: not now"),
                    "the denied tool's text");
            tail.nextSystem("turn.completed");

            tail.user("message", Map.of("text", "[tool] again"));
            String second = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
            tail.user("turn.cancel", Map.of());
            JsonNode cancelled = AxonTail.json(tail.nextSystem("intent.cancelled"));
            assertThat(cancelled.path("id").asText()).isEqualTo(second);
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText())
                    .isEqualTo("cancelled");
        }
    }

    static ObjectNode body(String field, String value) {
        return AxonTail.JSON.createObjectNode().put(field, value);
    }

    static ObjectNode resolution(String outcome, String optionId) {
        ObjectNode body = body("outcome", outcome);
        body.putObject("result").put("option_id", optionId);
        return body;
    }
}
