package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devboxes.stop-timeout} is the grace between SIGTERM and SIGKILL on every path that stops an agent: a
 * {@code POST /v1/devboxes/{id}/shutdown} and the server stopping. The agent is a real broker's process that ignores
 * SIGTERM (and keeps running once its stdin closes), so only the SIGKILL after the grace ends it.
 */
@Timeout(120)
class DevboxStopTimeoutTest {
    /** Ignores SIGTERM (its children inherit that), reads its input, then waits for ever. */
    private static final String STUBBORN = "trap '' TERM; while :; do read -r line || sleep 3600; done";

    @TempDir
    Path dir;

    @Test
    void aShutdownAndAServerStopKillAnAgentThatIgnoresSigterm() throws Exception {
        String binaries = AxonTail.write(Map.of("stubborn", Map.of("command", List.of("/bin/sh", "-c", STUBBORN,
                "stubborn"), "launch-args", List.of("--test-tag=api", "--test-tag=server"))));
        TestServer server = TestServer.start(dir.resolve("data"), Map.of("agents.binaries", binaries,
                "devboxes.stop-timeout", "1s"));
        try {
            String byApi = create(server, server.createAxon("stop-api"), "api");
            String byServer = create(server, server.createAxon("stop-server"), "server");
            Awaitility.await().atMost(AxonTail.WAIT).until(() -> agentAlive("api") && agentAlive("server"));

            TestServer.Reply r = server.post("/v1/devboxes/" + byApi + "/shutdown", Map.of());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(agentAlive("api")).as("the shutdown returns once its agent is gone").isFalse();
            assertThat(status(server, byApi)).isEqualTo("shutdown");
            assertThat(agentAlive("server")).isTrue();

            assertThat(status(server, byServer)).isEqualTo("running");
            server.stop();
            assertThat(agentAlive("server")).as("the server stops its agents before it returns").isFalse();
        } finally {
            server.close();
        }
    }

    /** A devbox whose one ACP mount on {@code axon} runs the stubborn agent tagged {@code tag}; returns its id. */
    private static String create(TestServer server, String axon, String tag) {
        TestServer.Reply r = server.post("/v1/devboxes", Map.of("mounts", List.of(Map.of("type", "broker_mount",
                "axon_id", axon, "protocol", "acp", "agent_binary", "stubborn",
                "launch_args", List.of("--test-tag=" + tag)))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static String status(TestServer server, String id) {
        JsonNode d = server.get("/v1/devboxes/" + id).json();
        return d.get("status").asText();
    }

    private static boolean agentAlive(String tag) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(a -> List.of(a).contains("--test-tag=" + tag)).orElse(false));
    }
}
