package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.Await;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting the axon under a running devbox, with the real broker and the real ACP agent: the mount serves nothing
 * any more, so the devbox fails at once (its agent stopped, {@code failure_reason: execution_failed}) instead of
 * staying {@code running} and holding a {@code devboxes.max-active} slot until the server restarts.
 */
@Timeout(180)
class DevboxAxonDeletedTest {
    @TempDir
    Path dir;

    @Test
    void aDevboxWhoseAxonIsDeletedFails() throws Exception {
        TestServer server = TestAgents.serverWithAcpAgent(dir.resolve("data"), Map.of());
        try (MyelinClient client = MyelinClient.builder().baseUrl(server.server().uri())
                .apiKey(TestServer.ADMIN_KEY).build()) {
            String axon = server.createAxon("deleted-under-devbox");
            String id = TestAgents.acpDevbox(server, axon);
            try (AxonTail tail = new AxonTail(client, axon)) {
                tail.user("message", Map.of("text", "hello"));
                tail.nextSystem("turn.completed");
            }
            assertThat(server.delete("/v1/axons/" + axon).status()).isEqualTo(200);

            JsonNode failed = Await.until("the devbox fails once its axon is gone", Duration.ofSeconds(60),
                    () -> server.get("/v1/devboxes/" + id).json(), d -> !d.get("status").asText().equals("running"));
            assertThat(failed.get("status").asText()).isEqualTo("failure");
            assertThat(failed.get("failure_reason").asText()).isEqualTo("execution_failed");
            Await.until("the agent process ends", Duration.ofSeconds(60), () -> ProcessHandle.current().descendants()
                    .noneMatch(p -> p.info().arguments().map(a -> List.of(a).stream()
                            .anyMatch(x -> x.endsWith("acp-agent.mjs"))).orElse(false)));
        } finally {
            server.close();
        }
    }
}
