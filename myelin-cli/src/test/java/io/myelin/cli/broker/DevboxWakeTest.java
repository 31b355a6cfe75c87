package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waking a frozen agent on a devbox, through the axon as a client does, with the real broker and the real ACP agent
 * of the test tree: when {@code devbox.suspended} is on the stream every process of the agent's group is stopped
 * (state {@code T}); the next turn-starting event wakes it, {@code devbox.running} comes before the turn's
 * {@code turn.started} on the stream, and the devbox's history keeps both moves ({@code resuming}, {@code running}).
 */
@Timeout(180)
class DevboxWakeTest {
    @TempDir
    Path dir;

    @Test
    void aFrozenAgentIsStoppedWhenSuspendedIsPublishedAndWakesWithRunningBeforeTheTurn() throws Exception {
        TestServer server = TestAgents.serverWithAcpAgent(dir.resolve("data"), Map.of());
        try (MyelinClient client = MyelinClient.builder().baseUrl(server.server().uri())
                .apiKey(TestServer.ADMIN_KEY).build()) {
            String axon = server.createAxon("wake-order");
            String id = TestAgents.acpDevbox(server, axon);
            try (AxonTail tail = new AxonTail(client, axon)) {
                tail.user("message", Map.of("text", "first"));
                tail.nextSystem("turn.completed");
                for (int round = 0; round < 3; round++) {
                    TestServer.Reply r = server.post("/v1/devboxes/" + id + "/suspend", Map.of());
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    tail.nextSystem("devbox.suspended");
                    List<String> states = groupStates(agentGroup(tail));
                    assertThat(states).as("the agent's group when devbox.suspended arrived").isNotEmpty()
                            .allMatch(s -> s.equals("T") || s.equals("t") || s.equals("Z"));

                    tail.user("message", Map.of("text", "wake " + round));
                    AxonEvent running = tail.nextSystem("devbox.running");
                    assertThat(AxonTail.json(running).path("reason").asText()).isEqualTo("axon_event");
                    AxonEvent started = tail.nextSystem("turn.started");
                    assertThat(started.sequence()).isGreaterThan(running.sequence());
                    tail.nextSystem("turn.completed");
                }
            }
            JsonNode d = server.get("/v1/devboxes/" + id).json();
            assertThat(d.get("status").asText()).isEqualTo("running");
            List<String> history = d.get("state_transitions").findValuesAsText("status");
            assertThat(history.subList(history.size() - 4, history.size()))
                    .containsExactly("suspending", "suspended", "resuming", "running");
        } finally {
            server.close();
        }
    }

    /** The process group id of the agent: the pid of the agent process whose working directory is the devbox's. */
    private static long agentGroup(AxonTail tail) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).stream().anyMatch(x -> x.endsWith("acp-agent.mjs")))
                        .orElse(false))
                .forEach(p -> pids.add(p.pid()));
        assertThat(pids).as("one agent process under the server (%s)", tail.summary()).hasSize(1);
        return pids.get(0);
    }

    /** The state letter of every process in group {@code pgid}, read from {@code /proc/<pid>/stat}. */
    private static List<String> groupStates(long pgid) throws IOException {
        List<String> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : dirs) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[2]) == pgid) {
                    out.add(f[0]);
                }
            }
        }
        return out;
    }
}
