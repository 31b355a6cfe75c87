package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.client.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent process under the broker: frozen and thawed, shut down and restarted with its conversation, killed
 * from outside and restarted by the next event. The agent is the ACP SDK's example agent, tagged with an extra
 * argument so that the test can find its process.
 */
@Timeout(180)
class AcpLifecycleTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    /** The example agent with a unique argument it ignores, by which its process is found. */
    static List<String> tagged(String tag) {
        List<String> cmd = new ArrayList<>(TestAgents.acpExample());
        cmd.add("--test-tag=" + tag);
        return cmd;
    }

    static Optional<ProcessHandle> agentProcess(String tag) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("--test-tag=" + tag)).orElse(false))
                .findFirst();
    }

    /** The state letter of /proc/PID/stat: R, S, T (stopped), ... */
    static char procState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    static void answerPermission(AxonTail tail) throws Exception {
        tail.nextAgent("session/request_permission");
        tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "reject")));
    }

    @Test
    void aSuspendedAgentIsFrozenAndTheNextTurnAsksToWakeIt() throws Exception {
        String tag = UUID.randomUUID().toString();
        String axon = brokers.newAxon("acp-suspend");
        LocalBrokers.Calls calls = new LocalBrokers.Calls();
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, tagged(tag), calls);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            await().atMost(Duration.ofSeconds(30)).until(broker::idle);
            long pid = agentProcess(tag).orElseThrow().pid();
            broker.suspend(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> procState(pid) == 'T');

            tail.user("message", Map.of("text", "wake up"));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.calls.contains("wake"));
            assertThat(tail.drain()).noneMatch(e -> e.eventType().equals("turn.started"));
            assertThat(procState(pid)).isEqualTo('T');

            broker.resume();
            tail.nextSystem("turn.started");
            answerPermission(tail);
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(agentProcess(tag).orElseThrow().pid()).as("the same process").isEqualTo(pid);
            await().atMost(Duration.ofSeconds(30)).until(broker::idle);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.copyOf(calls.calls))
                    .as("what the supervisor heard").containsSubsequence("idle", "activity", "wake", "activity", "idle"));
        }
    }

    @Test
    void aShutDownAgentIsRestartedAndClientsKeepTheirSessionId() throws Exception {
        String tag = UUID.randomUUID().toString();
        String axon = brokers.newAxon("acp-shutdown");
        LocalBrokers.Calls calls = new LocalBrokers.Calls();
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, tagged(tag), calls);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("initialize", Map.of("protocolVersion", 1, "clientCapabilities", Map.of()));
            tail.nextAgent("initialize");
            tail.user("session/new", Map.of("cwd", "/tmp", "mcpServers", List.of()));
            String session = AxonTail.json(tail.nextAgent("session/new")).path("sessionId").asText();
            long first = agentProcess(tag).orElseThrow().pid();

            broker.shutdown(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true));

            tail.user("session/prompt", Map.of("sessionId", session, "prompt", List.of(Map.of("type", "text", "text", "hi"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.calls.contains("wake"));
            broker.resume();
            tail.nextSystem("turn.started");
            JsonNode update = AxonTail.json(tail.nextAgent("session/update"));
            assertThat(update.path("sessionId").asText()).as("the restarted agent's new session, as the client knows it")
                    .isEqualTo(session);
            answerPermission(tail);
            assertThat(AxonTail.json(tail.nextAgent("session/prompt")).path("stopReason").asText()).isEqualTo("end_turn");
            tail.nextSystem("turn.completed");
            assertThat(agentProcess(tag).orElseThrow().pid()).isNotEqualTo(first);
            assertThat(calls.calls).noneMatch(c -> c.startsWith("exited"));
        }
    }

    @Test
    void anAgentThatDiesFailsItsTurnAndTheNextEventRestartsIt() throws Exception {
        String tag = UUID.randomUUID().toString();
        String axon = brokers.newAxon("acp-crash");
        LocalBrokers.Calls calls = new LocalBrokers.Calls();
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, tagged(tag), calls);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long msg = tail.user("message", Map.of("text", "start"));
            tail.nextSystem("turn.started");
            tail.nextAgent("session/update");
            agentProcess(tag).orElseThrow().destroyForcibly();

            JsonNode error = AxonTail.json(tail.nextSystem("agent.error"));
            assertThat(error.path("devbox_id").asText()).isEqualTo("dbx_" + axon);
            assertThat(error.path("type").asText()).isEqualTo("agent_exited");
            JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
            assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + msg);
            assertThat(failed.path("error").asText()).contains("exited");
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.calls.stream().anyMatch(c -> c.startsWith("exited")));

            long next = tail.user("message", Map.of("text", "again"));
            assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + next);
            answerPermission(tail);
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("turn_id").asText()).isEqualTo("turn_" + next);
            assertThat(tail.seen()).filteredOn(e -> e.origin() == Origin.SYSTEM_EVENT && e.eventType().equals("turn.started"))
                    .hasSize(2);
        }
    }

    @Test
    void anAgentWithLoadSessionGetsItsConversationBackAfterAShutdownAndAfterACrash() throws Exception {
        String axon = brokers.newAxon("acp-load-session");
        LocalBrokers.Calls calls = new LocalBrokers.Calls();
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpWithLoadSession(), calls);
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("initialize", Map.of("protocolVersion", 1, "clientCapabilities", Map.of()));
            assertThat(AxonTail.json(tail.nextAgent("initialize")).path("agentCapabilities").path("loadSession").asBoolean())
                    .isTrue();
            tail.user("session/new", Map.of("cwd", "/tmp", "mcpServers", List.of()));
            String session = AxonTail.json(tail.nextAgent("session/new")).path("sessionId").asText();
            tail.user("session/prompt", Map.of("sessionId", session, "prompt", List.of(Map.of("type", "text", "text", "the blue door"))));
            tail.nextSystem("turn.completed");

            broker.shutdown(Duration.ofSeconds(5));
            long beforeWake = tail.drain().getLast().sequence();
            tail.user("session/prompt", Map.of("sessionId", session, "prompt", List.of(Map.of("type", "text", "text", "and now?"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.calls.contains("wake"));
            broker.resume();
            tail.nextSystem("turn.started");
            tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("Earlier prompts in this session: 1"),
                    "an answer that remembers the first prompt");
            tail.nextSystem("turn.completed");

            long crash = tail.user("message", Map.of("text", "fall over [crash]"));
            tail.nextSystem("turn.started");
            tail.nextSystem("agent.error");
            assertThat(AxonTail.json(tail.nextSystem("turn.failed")).path("turn_id").asText()).isEqualTo("turn_" + crash);
            tail.user("message", Map.of("text", "still there?"));
            tail.nextSystem("turn.started");
            JsonNode update = AxonTail.json(tail.next(e -> e.origin() == Origin.AGENT_EVENT
                    && e.payload().contains("Earlier prompts in this session: 3"), "the session loaded after the crash"));
            assertThat(update.path("sessionId").asText()).isEqualTo(session);
            tail.nextSystem("turn.completed");

            assertThat(tail.seen()).as("the history session/load streams back is not published again")
                    .filteredOn(e -> e.sequence() > beforeWake && e.payload().contains("user_message_chunk")).isEmpty();
            assertThat(tail.seen()).filteredOn(e -> e.eventType().equals("session/update"))
                    .allMatch(e -> AxonTail.json(e).path("sessionId").asText().equals(session));
        }
    }
}
