package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A turn stuck in the broker's own start-up handshake (an ACP agent that reads its input and never answers
 * {@code initialize}) can be cancelled, and ends at the latest at {@code agents.start-timeout}: either way the axon's
 * queue goes on with the next turn. The agent is a real process of the server's broker, a shell that reads stdin and
 * writes nothing.
 */
@Timeout(120)
class AcpStartupTest {
    /** Reads every line it is given and answers none: never past {@code initialize}. */
    static final List<String> SILENT = List.of("/bin/sh", "-c", "while read -r line; do :; done", "silent");

    @TempDir
    Path dir;

    @Test
    void aCancelEndsATurnStuckInTheHandshake() throws Exception {
        TestServer server = TestServer.start(dir.resolve("data"), Map.of("agents.binaries",
                AxonTail.write(Map.of("silent", SILENT))));
        try (MyelinClient client = client(server)) {
            String axon = server.createAxon("startup-cancel");
            mount(server, axon);
            try (AxonTail tail = new AxonTail(client, axon)) {
                long first = tail.user("message", Map.of("text", "hi"));
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + first);
                long second = tail.user("message", Map.of("text", "queued behind the stuck one"));
                tail.user("turn.cancel", Map.of());
                JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + first);
                assertThat(done.path("stop_reason").asText()).isEqualTo("cancelled");

                assertThat(turnId(tail.nextSystem("turn.started"))).as("the queue goes on").isEqualTo("turn_" + second);
                tail.user("session/cancel", Map.of());
                done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + second);
                assertThat(done.path("stop_reason").asText()).isEqualTo("cancelled");
                assertThat(tail.seen()).as("no failure: the cancels ended both turns")
                        .noneMatch(e -> e.eventType().equals("turn.failed"));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void anAgentThatNeverAnswersInitializeFailsTheTurnAtTheStartTimeout() throws Exception {
        TestServer server = TestServer.start(dir.resolve("data"), Map.of("agents.binaries",
                AxonTail.write(Map.of("silent", SILENT)), "agents.start-timeout", "1s"));
        try (MyelinClient client = client(server)) {
            String axon = server.createAxon("startup-timeout");
            mount(server, axon);
            try (AxonTail tail = new AxonTail(client, axon)) {
                long first = tail.user("message", Map.of("text", "hi"));
                long second = tail.user("message", Map.of("text", "and again"));
                assertThat(turnId(tail.nextSystem("turn.started"))).isEqualTo("turn_" + first);
                JsonNode error = AxonTail.json(tail.any(e -> e.eventType().equals("agent.error"), "agent.error"));
                assertThat(error.path("type").asText()).isEqualTo("start_timeout");
                assertThat(error.path("message").asText()).isEqualTo("agent did not answer initialize within 1s");
                JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
                assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + first);
                assertThat(failed.path("error").asText()).isEqualTo("agent did not answer initialize within 1s");
                assertThat(failed.path("stop_reason").asText()).isEqualTo("error");

                assertThat(turnId(tail.nextSystem("turn.started"))).as("a new agent takes the next turn")
                        .isEqualTo("turn_" + second);
                failed = AxonTail.json(tail.nextSystem("turn.failed"));
                assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + second);
                assertThat(failed.path("error").asText()).isEqualTo("agent did not answer initialize within 1s");
            }
        } finally {
            server.close();
        }
    }

    static MyelinClient client(TestServer server) {
        return MyelinClient.builder().baseUrl(server.server().uri()).apiKey(TestServer.ADMIN_KEY).build();
    }

    /** A devbox whose one broker mount runs the agent {@code silent} over ACP on {@code axon}; returns its id. */
    static String mount(TestServer server, String axon) {
        TestServer.Reply r = server.post("/v1/devboxes", Map.of("mounts", List.of(Map.of("type", "broker_mount",
                "axon_id", axon, "protocol", "acp", "agent_binary", "silent"))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static String turnId(AxonEvent e) {
        return AxonTail.json(e).path("turn_id").asText();
    }
}
