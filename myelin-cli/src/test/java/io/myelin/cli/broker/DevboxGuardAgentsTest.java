package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The break-it findings on devbox creation, against a real server running the real broker and the real ACP agent
 * of the test tree (a node program, so {@code NODE_OPTIONS} would run code in it): a client's code never reaches
 * the agent through its environment or arguments, and a second devbox on an axon that already has a broker is
 * refused at create rather than failing later and reporting on the first devbox's axon.
 */
@Timeout(120)
class DevboxGuardAgentsTest {
    @TempDir
    Path dir;

    private TestServer start() {
        String binaries = AxonTail.write(Map.of("acp", TestAgents.acpWithLoadSession()));
        return TestServer.start(dir.resolve("data"), Map.of("agents.binaries", binaries, "devboxes.stop-timeout", "2s"));
    }

    private static Map<String, Object> mount(String axon) {
        return TestAgents.acpMount(axon, "acp");
    }

    @Test
    void nodeOptionsAndLaunchArgsFromAClientRunNothing() {
        try (TestServer server = start()) {
            String axon = server.createAxon("guard-env");
            Path pwned = dir.resolve("pwned");
            String inline = "--import=data:text/javascript,import(`node:fs`).then(f=>f.writeFileSync(`" + pwned
                    + "`,String(process.pid)))";
            TestServer.Reply env = server.post("/v1/devboxes", Map.of("mounts", List.of(mount(axon)),
                    "environment_variables", Map.of("NODE_OPTIONS", inline)));
            assertThat(env.status()).as(env.body()).isEqualTo(422);
            assertThat(env.errorField()).isEqualTo("environment_variables.NODE_OPTIONS");
            assertThat(env.json().get("error").get("message").asText()).contains("devboxes.allowed-environment");

            TestServer.Reply args = server.post("/v1/devboxes", Map.of("mounts", List.of(Map.of("type", "broker_mount",
                    "axon_id", axon, "protocol", "acp", "agent_binary", "acp", "launch_args", List.of(inline)))));
            assertThat(args.status()).as(args.body()).isEqualTo(422);
            assertThat(args.errorField()).isEqualTo("mounts[0].launch_args");
            assertThat(args.json().get("error").get("message").asText()).contains("launch-args");

            // The same agent, mounted as the operator allows, runs a turn: the refusals were about the client's code.
            String id = created(server, Map.of("mounts", List.of(mount(axon))));
            awaitStatus(server, id, "running");
            server.post("/v1/devboxes/" + id + "/shutdown", Map.of());
            assertThat(pwned).doesNotExist();
        }
    }

    @Test
    void anAxonWithABrokerIsRefusedToASecondDevbox() throws Exception {
        try (TestServer server = start()) {
            String axon = server.createAxon("guard-shared");
            HttpRequest keyed = server.request("/v1/devboxes").header("Idempotency-Key", "first-create")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AxonTail.write(Map.of("mounts", List.of(mount(axon))))))
                    .build();
            TestServer.Reply firstReply = server.send(keyed);
            assertThat(firstReply.status()).as(firstReply.body()).isEqualTo(200);
            String first = firstReply.json().get("id").asText();
            awaitStatus(server, first, "running");

            TestServer.Reply second = server.post("/v1/devboxes", Map.of("mounts", List.of(mount(axon))));
            assertThat(second.status()).as(second.body()).isEqualTo(409);
            assertThat(second.errorField()).isEqualTo("mounts[0].axon_id");
            assertThat(second.json().get("error").get("message").asText()).contains(first);
            TestServer.Reply retry = server.send(keyed);
            assertThat(retry.status()).as("a retried create is answered, not refused").isEqualTo(200);
            assertThat(retry.json().get("id").asText()).isEqualTo(first);
            TestServer.Reply twice = server.post("/v1/devboxes", Map.of("mounts", List.of(mount(server.createAxon("x")),
                    mount(server.createAxon("y")), mount(axon))));
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.errorField()).isEqualTo("mounts[2].axon_id");
            assertThat(server.get("/v1/devboxes/" + first).json().get("status").asText()).isEqualTo("running");
            assertThat(server.get("/v1/axons/" + axon + "/events?limit=1000").body()).doesNotContain("devbox.failed");

            assertThat(server.post("/v1/devboxes/" + first + "/shutdown", Map.of()).status()).isEqualTo(200);
            String next = created(server, Map.of("mounts", List.of(mount(axon))));
            awaitStatus(server, next, "running");
            server.post("/v1/devboxes/" + next + "/shutdown", Map.of());
        }
    }

    private static String created(TestServer server, Map<String, Object> body) {
        TestServer.Reply r = server.post("/v1/devboxes", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    /** Long-polls {@code wait_for_status} as the SDKs do; the test's timeout bounds it. */
    private static void awaitStatus(TestServer server, String id, String status) {
        while (true) {
            TestServer.Reply r = server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of(status)));
            if (r.status() == 200) {
                assertThat(r.json().get("status").asText()).isEqualTo(status);
                return;
            }
            assertThat(r.status()).as(r.body()).isEqualTo(408);
        }
    }
}
