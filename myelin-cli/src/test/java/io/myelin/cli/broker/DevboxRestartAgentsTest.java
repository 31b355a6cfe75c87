package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restart starts the agents of running devboxes again, and no others: a suspended devbox keeps no agent
 * process until it is woken (by a turn-starting event on its axon, or by {@code POST resume} when it does not wake on
 * events), and a shut-down one starts nothing. The real broker runs the real ACP agent of the test tree, through an
 * operator-configured wrapper that appends a line to a file every time an agent process starts, so that even a
 * process started and stopped again at once is counted.
 */
@Timeout(180)
class DevboxRestartAgentsTest {
    @TempDir
    Path dir;

    /**
     * {@code agents.binaries}: {@code acp} is {@code sh -c <log the start, then exec node acp-agent.mjs>}, and its
     * clients may pass the tags this test gives as {@code launch_args}.
     */
    private Map<String, String> settings(Path starts) {
        List<String> agent = TestAgents.acpWithLoadSession();
        String wrapper = "echo \"$*\" >> '" + starts + "'; exec \"$0\" \"$@\"";
        List<String> tags = List.of("running", "frozen", "manual", "gone").stream().map(t -> "--test-tag=" + t).toList();
        String binaries = AxonTail.write(Map.of("acp", Map.of(
                "command", List.of("/bin/sh", "-c", wrapper, agent.get(0), agent.get(1)), "launch-args", tags)));
        return Map.of("agents.binaries", binaries, "devboxes.stop-timeout", "2s");
    }

    private static Map<String, Object> devbox(String axon, String tag, boolean wakeOnEvent) {
        return Map.of("mounts", List.of(Map.of("type", "broker_mount", "axon_id", axon, "protocol", "acp",
                        "agent_binary", "acp", "launch_args", List.of("--test-tag=" + tag))),
                "launch_parameters", Map.of("lifecycle", Map.of("resume_triggers", Map.of("axon_event", wakeOnEvent))));
    }

    /** How many agent processes were started with {@code tag}. */
    private static long starts(Path file, String tag) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        return Files.readAllLines(file).stream().filter(l -> l.endsWith("--test-tag=" + tag)).count();
    }

    private static boolean agentAlive(String tag) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(a -> List.of(a).contains("--test-tag=" + tag)).orElse(false));
    }

    @Test
    void onlyRunningDevboxesStartTheirAgentsAgain() throws Exception {
        Path starts = dir.resolve("agent-starts.txt");
        TestServer server = TestServer.start(dir.resolve("data"), settings(starts));
        try {
            String running = create(server, devbox(server.createAxon("restart-running"), "running", true));
            String axonFrozen = server.createAxon("restart-frozen");
            String frozen = create(server, devbox(axonFrozen, "frozen", true));
            String axonManual = server.createAxon("restart-manual");
            String manual = create(server, devbox(axonManual, "manual", false));
            String gone = create(server, devbox(server.createAxon("restart-gone"), "gone", true));
            for (String id : List.of(running, frozen, manual, gone)) {
                awaitStatus(server, id, "running");
            }
            post(server, frozen, "suspend");
            post(server, manual, "suspend");
            post(server, gone, "shutdown");
            awaitStatus(server, frozen, "suspended");
            awaitStatus(server, manual, "suspended");
            awaitStatus(server, gone, "shutdown");
            for (String tag : List.of("running", "frozen", "manual", "gone")) {
                await(tag).atMost(Duration.ofSeconds(60)).until(() -> starts(starts, tag) == 1);
            }

            server.stop();
            for (String tag : List.of("running", "frozen", "manual", "gone")) {
                assertThat(agentAlive(tag)).as("the server stopped the agent " + tag).isFalse();
            }
            server.restart();

            awaitStatus(server, running, "running");
            // The wrapper writes its line just after the launch, which the status may precede: wait for the line.
            await("a running devbox starts its agent again").atMost(Duration.ofSeconds(60))
                    .until(() -> starts(starts, "running") == 2);
            assertThat(status(server, frozen)).isEqualTo("suspended");
            assertThat(status(server, manual)).isEqualTo("suspended");
            assertThat(agentAlive("frozen")).isFalse();
            assertThat(agentAlive("manual")).isFalse();

            try (MyelinClient client = MyelinClient.builder().baseUrl(server.server().uri())
                    .apiKey(TestServer.ADMIN_KEY).build()) {
                try (AxonTail tail = new AxonTail(client, axonFrozen)) {
                    tail.user("message", Map.of("text", "wake up"));
                    tail.nextSystem("turn.started");
                    assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText())
                            .isEqualTo("end_turn");
                }
                awaitStatus(server, frozen, "running");
                await("one agent start: the wake's").atMost(Duration.ofSeconds(60))
                        .until(() -> starts(starts, "frozen") == 2);

                try (AxonTail tail = new AxonTail(client, axonManual)) {
                    tail.user("message", Map.of("text", "queued until the resume"));
                    assertThat(status(server, manual)).isEqualTo("suspended");
                    post(server, manual, "resume");
                    tail.nextSystem("turn.started");
                    tail.nextSystem("turn.completed");
                }
                awaitStatus(server, manual, "running");
                await("one agent start: the resume's").atMost(Duration.ofSeconds(60))
                        .until(() -> starts(starts, "manual") == 2);
            }
            assertThat(status(server, gone)).isEqualTo("shutdown");
            assertThat(starts(starts, "gone")).as("a shut-down devbox starts nothing").isEqualTo(1);
            assertThat(starts(starts, "running")).isEqualTo(2);
        } finally {
            server.close();
        }
    }

    private static String create(TestServer server, Map<String, Object> body) {
        TestServer.Reply r = server.post("/v1/devboxes", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static void post(TestServer server, String id, String action) {
        TestServer.Reply r = server.post("/v1/devboxes/" + id + "/" + action, Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String status(TestServer server, String id) {
        return server.get("/v1/devboxes/" + id).json().get("status").asText();
    }

    /** Long-polls {@code wait_for_status} (asking again after each 408) until the devbox is in {@code wanted}. */
    private static void awaitStatus(TestServer server, String id, String wanted) {
        while (true) {
            TestServer.Reply r = server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of(wanted)));
            if (r.status() == 200) {
                JsonNode d = r.json();
                assertThat(d.get("status").asText()).as("devbox %s settled", id).isEqualTo(wanted);
                return;
            }
            assertThat(r.status()).as(r.body()).isEqualTo(408);
        }
    }
}
