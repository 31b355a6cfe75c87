package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.ConflictException;
import io.myelin.client.MyelinClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker killed with SIGKILL while its agent's permission request waits as an intent: the broker started next
 * cancels that intent ({@code "broker restarted"}) and fails the turn as it fails any turn a crash interrupted, so
 * nothing waits forever, and a late resolution of the stale intent is refused (409) instead of reaching the new
 * agent. Once with the broker inside the server (the server is killed), once with {@code myelin broker} beside the
 * agent (its intents go through the HTTP API with the broker's key).
 */
@Timeout(300)
class PermissionIntentCrashIT {
    @Test
    void theServerKilledWhileAPermissionWaitsCancelsItsIntentAtTheRestart() throws Exception {
        Path dir = Files.createTempDirectory("myelin-permission-crash");
        Path work = Files.createDirectories(dir.resolve("work"));
        int port = ChildJvm.freePort();
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), dir.resolve("data").toString(),
                BrokerCrashIT.KEY, "permission", work.toString()));
        args.addAll(TestAgents.acpWithLoadSession());
        try (ChildJvm server = ChildJvm.main(BrokerServerMain.class, dir.resolve("server.log"), args).start();
             MyelinClient client = BrokerCrashIT.patient("http://127.0.0.1:" + port, BrokerCrashIT.KEY)) {
            Path idFile = dir.resolve("axon-id");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(idFile));
            String axon = Files.readString(idFile);
            try (AxonTail tail = new AxonTail(client, axon)) {
                crashWhileAsking(client, tail, () -> {
                    server.kill9();
                    server.start();
                });
            }
        }
    }

    @Test
    void aBrokerBesideItsAgentKilledWhileAPermissionWaitsHasItsIntentCancelledByTheNextOne() throws Exception {
        try (LocalBrokers local = LocalBrokers.started();
             MyelinClient client = BrokerCrashIT.patient(local.server.uri().toString(), LocalBrokers.KEY)) {
            String axon = local.newAxon("remote-permission-crash");
            try (ChildJvm broker = local.remoteBroker(axon, TestAgents.acpWithLoadSession()).start();
                 AxonTail tail = new AxonTail(client, axon)) {
                crashWhileAsking(client, tail, () -> {
                    broker.kill9();
                    broker.start();
                });
            }
        }
    }

    private static void crashWhileAsking(MyelinClient client, AxonTail tail, BrokerCrashIT.Crash crash)
            throws Exception {
        long trigger = tail.user("message", Map.of("text", "edit the notes [permission]"));
        tail.nextAgent("session/request_permission");
        String id = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
        await("the broker saved its open intent").atMost(Duration.ofSeconds(60)).until(() -> client
                .axon(tail.axonId()).broker().state().context().path("open_intents").toString().contains(id));
        crash.run();

        JsonNode cancelled = AxonTail.json(tail.nextSystem("intent.cancelled"));
        assertThat(cancelled.path("id").asText()).isEqualTo(id);
        assertThat(cancelled.path("resolution").path("comment").asText()).isEqualTo("broker restarted");
        JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
        assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + trigger);
        assertThat(failed.path("error").asText()).isEqualTo("broker restarted");

        ConflictException late = catchThrowableOfType(ConflictException.class, () -> client.axon(tail.axonId())
                .broker().resolveIntent(id, PermissionIntentsTest.resolution("approved", "allow"), null));
        assertThat(late.status()).isEqualTo(409);

        // The restarted broker serves the next turn, whose permission waits as a new intent.
        tail.user("message", Map.of("text", "again [permission]"));
        tail.nextAgent("session/request_permission");
        String next = AxonTail.json(tail.nextSystem("intent.created")).path("id").asText();
        assertThat(next).isNotEqualTo(id);
        client.axon(tail.axonId()).broker().resolveIntent(next, PermissionIntentsTest.resolution("approved", "allow"),
                null);
        tail.next(e -> e.payload().contains("Permission answer: selected allow"), "the new agent's answer");
        assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("end_turn");
    }
}
