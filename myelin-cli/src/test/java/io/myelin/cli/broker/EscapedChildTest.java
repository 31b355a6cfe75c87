package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose main process exits while a child it moved out of its process group ({@code setsid}) still holds
 * its stdout open: the exit of the main process ends the agent, mid-turn and at start-up alike, as a plain exit does
 * (not a turn that hangs, not a start-up timeout). The escaped child is not the broker's; the test kills it.
 */
@Timeout(120)
class EscapedChildTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    @TempDir
    Path tmp;

    @Test
    void anAgentThatExitsMidTurnFailsTheTurnThoughAChildHoldsItsOutput() throws Exception {
        Path pidFile = tmp.resolve("escaped.pid");
        String axon = brokers.newAxon("escape-turn");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP,
                TestAgents.hostile("--escape-at=prompt", "--pid-file=" + pidFile));
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long msg = tail.user("message", Map.of("text", "go"));
            tail.nextSystem("turn.started");
            JsonNode error = AxonTail.json(tail.nextSystem("agent.error"));
            assertThat(error.path("type").asText()).isEqualTo("agent_exited");
            assertThat(error.path("message").asText(error.toString())).contains("status 3");
            JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
            assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + msg);
            assertThat(escapedChildAlive(pidFile)).as("the escaped child still holds the pipe").isTrue();
        } finally {
            killEscaped(pidFile);
        }
    }

    @Test
    void anAgentThatExitsAtStartUpIsReportedAsExitedNotAsTimedOut() throws Exception {
        Path pidFile = tmp.resolve("escaped.pid");
        String axon = brokers.newAxon("escape-start");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP,
                TestAgents.hostile("--escape-at=start", "--pid-file=" + pidFile));
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            long msg = tail.user("message", Map.of("text", "go"));
            JsonNode error = AxonTail.json(tail.nextSystem("agent.error"));
            assertThat(error.path("type").asText()).isEqualTo("agent_exited");
            JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
            assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + msg);
        } finally {
            killEscaped(pidFile);
        }
    }

    private static boolean escapedChildAlive(Path pidFile) throws Exception {
        return Files.exists(pidFile)
                && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void killEscaped(Path pidFile) throws Exception {
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
