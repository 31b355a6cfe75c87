package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.BrokerSpec;
import io.myelin.broker.MountedBroker;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up handshake's deadline does not run while the agent is frozen: an agent thawed long after its
 * {@code initialize} was sent gets the whole {@code agents.start-timeout} again instead of being killed at once. The
 * agent is a real process that never answers; time is a clock the test moves, so nothing waits for it.
 */
@Timeout(120)
class FrozenHandshakeTest {
    private static final String KEY = "frozen-handshake-admin-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void aThawedAgentGetsTheWholeStartTimeoutAgain() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
        InstantSource clock = now::get;
        MyelinServer server = MyelinServer.start(new ConfigLoader().flag("port", 0).flag("data-dir", dir.resolve("data"))
                .flag("admin-key", KEY).flag("agents.start-timeout", "10s").build().withClock(clock));
        try (MyelinClient client = MyelinClient.builder().baseUrl(server.uri()).apiKey(KEY).build()) {
            String axon = client.axons().create("frozen-handshake", Map.of()).id();
            Path work = Files.createDirectories(dir.resolve("work"));
            try (MountedBroker broker = server.brokers().start(new BrokerSpec("dbx_frozen", axon, BrokerProtocol.ACP,
                    AcpStartupTest.SILENT, work, TestAgents.environment(work), true), new LocalBrokers.Calls());
                 AxonTail tail = new AxonTail(client, axon)) {
                long first = tail.user("message", Map.of("text", "hi"));
                tail.nextSystem("turn.started");
                tail.user("turn.cancel", Map.of());
                JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
                assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + first);

                // the handshake goes on without a turn; the agent is frozen well past its deadline, then thawed
                broker.suspend(Duration.ofSeconds(30));
                now.updateAndGet(t -> t.plus(Duration.ofMinutes(1)));
                broker.resume();
                long second = tail.user("message", Map.of("text", "again"));
                AxonEvent started = tail.nextSystem("turn.started");
                assertThat(AxonTail.json(started).path("turn_id").asText()).isEqualTo("turn_" + second);
                assertThat(tail.seen()).as("not killed at the thaw").noneMatch(e -> e.eventType().equals("agent.error"));

                now.updateAndGet(t -> t.plus(Duration.ofSeconds(10)));
                JsonNode error = AxonTail.json(tail.nextSystem("agent.error"));
                assertThat(error.path("type").asText()).isEqualTo("start_timeout");
                JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
                assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + second);
                assertThat(failed.path("error").asText()).isEqualTo("agent did not answer initialize within 10s");
            }
        } finally {
            server.close();
        }
    }
}
