package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code myelin broker --start-timeout} and {@code --cancel-timeout} reach the broker beside the agent: the real
 * command line ({@code java -jar myelin.jar broker ...}) against a server in this JVM, with an agent that never
 * answers {@code initialize} and one that ignores {@code session/cancel}.
 */
@Timeout(180)
class BrokerCommandTimeoutsIT {
    @Test
    void theTimeoutFlagsSetTheDeadlinesOfTheBrokerBesideTheAgent() throws Exception {
        try (LocalBrokers local = LocalBrokers.started()) {
            String silent = local.newAxon("flags-start");
            try (ChildJvm broker = ChildJvm.myelin(local.dir.resolve("start.log"),
                    args(local, silent, List.of("--start-timeout", "1s"), AcpStartupTest.SILENT)).start();
                 AxonTail tail = new AxonTail(local.client, silent)) {
                long turn = tail.user("message", Map.of("text", "hi"));
                JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
                assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + turn);
                assertThat(failed.path("error").asText()).isEqualTo("agent did not answer initialize within 1s");
            }

            String deaf = local.newAxon("flags-cancel");
            try (ChildJvm broker = ChildJvm.myelin(local.dir.resolve("cancel.log"), args(local, deaf,
                    List.of("--cancel-timeout", "1s", "--stop-timeout", "2s"), TestAgents.acpWithLoadSession())).start();
                 AxonTail tail = new AxonTail(local.client, deaf)) {
                long turn = tail.user("message", Map.of("text", "never stop [deaf]"));
                tail.next(e -> e.origin() == Origin.AGENT_EVENT && e.payload().contains("Ignoring session/cancel."),
                        "the deaf agent's chunk");
                long next = tail.user("message", Map.of("text", "and now?"));
                tail.user("turn.cancel", Map.of());
                JsonNode error = AxonTail.json(tail.next(e -> e.eventType().equals("agent.error"), "agent.error"));
                assertThat(error.path("type").asText()).isEqualTo("cancel_timeout");
                assertThat(error.path("message").asText()).contains("within 1s of its cancel");
                JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + turn);
                assertThat(done.path("stop_reason").asText()).isEqualTo("cancelled");
                done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).as("a new agent takes the next turn").isEqualTo("turn_" + next);
                assertThat(done.path("stop_reason").asText()).isEqualTo("end_turn");
            }
        }
    }

    private static List<String> args(LocalBrokers local, String axon, List<String> flags, List<String> agent)
            throws Exception {
        Path work = Files.createDirectories(local.dir.resolve("work-" + axon));
        List<String> args = new ArrayList<>(List.of("broker", "--server", local.server.uri().toString(),
                "--api-key", LocalBrokers.KEY, "--axon", axon, "--protocol", "acp", "--working-dir", work.toString()));
        args.addAll(flags);
        args.add("--");
        args.addAll(agent);
        return args;
    }
}
