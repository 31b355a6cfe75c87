package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.client.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker killed with SIGKILL in the middle of a turn, then started again: the turn that was running ends with
 * {@code turn.failed {error: "broker restarted"}}, the turns queued behind it run in order, and no event starts a
 * turn twice. Once with the broker inside the server (the server is killed), once with {@code myelin broker} beside
 * the agent (the broker process is killed, the server keeps running).
 */
@Timeout(300)
class BrokerCrashIT {
    static final String KEY = "broker-crash-admin-key-0123456789abcdef";

    @Test
    void theServerKilledMidTurnFailsThatTurnAfterItsRestartAndTheQueueGoesOn() throws Exception {
        Path dir = Files.createTempDirectory("myelin-broker-crash");
        Path work = Files.createDirectories(dir.resolve("work"));
        int port = ChildJvm.freePort();
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), dir.resolve("data").toString(), KEY,
                "crash", work.toString()));
        args.addAll(TestAgents.acpExample());
        try (ChildJvm server = ChildJvm.main(BrokerServerMain.class, dir.resolve("server.log"), args).start();
             MyelinClient client = patient("http://127.0.0.1:" + port, KEY)) {
            Path idFile = dir.resolve("axon-id");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(idFile));
            String axon = Files.readString(idFile);
            try (AxonTail tail = new AxonTail(client, axon)) {
                List<Long> triggers = crashDuring(tail, () -> {
                    server.kill9();
                    server.start();
                });
                expectRecovery(tail, triggers);
            }
        }
    }

    @Test
    void aBrokerBesideItsAgentKilledMidTurnIsTakenOverByTheNextOne() throws Exception {
        try (LocalBrokers local = LocalBrokers.started(); MyelinClient client = patient(local.server.uri().toString(), LocalBrokers.KEY)) {
            String axon = local.newAxon("remote-crash");
            try (ChildJvm broker = local.remoteBroker(axon, TestAgents.acpExample()).start();
                 AxonTail tail = new AxonTail(client, axon)) {
                List<Long> triggers = crashDuring(tail, () -> {
                    broker.kill9();
                    broker.start();
                });
                expectRecovery(tail, triggers);
            }
        }
    }

    @Test
    void anAgentLeftRunningByAKilledServerIsKilledBeforeTheRestartedOneStartsItsOwn() throws Exception {
        Path dir = Files.createTempDirectory("myelin-agent-orphan");
        Path work = Files.createDirectories(dir.resolve("work"));
        String tag = UUID.randomUUID().toString();
        List<String> args = new ArrayList<>(List.of(Integer.toString(ChildJvm.freePort()), dir.resolve("data").toString(),
                KEY, "orphan", work.toString()));
        args.addAll(TestAgents.hostile("--stubborn", "--test-tag=" + tag)); // ignores SIGTERM and the end of stdin
        try (ChildJvm server = ChildJvm.main(BrokerServerMain.class, dir.resolve("server.log"), args).start()) {
            ProcessHandle first = await().atMost(Duration.ofSeconds(60)).until(() -> tagged(tag), l -> l.size() == 1).get(0);
            server.kill9();
            assertThat(first.isAlive()).as("the agent outlives its killed server").isTrue();

            server.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !first.isAlive());
            ProcessHandle second = await().atMost(Duration.ofSeconds(60))
                    .until(() -> tagged(tag), l -> l.size() == 1 && l.get(0).pid() != first.pid()).get(0);
            assertThat(tagged(tag)).as("one agent on the mount").containsExactly(second);
        } finally {
            tagged(tag).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The live processes started with {@code --test-tag=tag}. */
    private static List<ProcessHandle> tagged(String tag) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("--test-tag=" + tag)).orElse(false))
                .toList();
    }

    interface Crash {
        void run() throws Exception;
    }

    /** Queues three turns and crashes while the first one runs; returns their triggers. */
    private static List<Long> crashDuring(AxonTail tail, Crash crash) throws Exception {
        List<Long> triggers = List.of(tail.user("message", Map.of("text", "first")),
                tail.user("message", Map.of("text", "second")), tail.user("message", Map.of("text", "third")));
        assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText())
                .isEqualTo("turn_" + triggers.get(0));
        tail.nextAgent("session/update");
        crash.run();
        return triggers;
    }

    private static void expectRecovery(AxonTail tail, List<Long> triggers) throws Exception {
        JsonNode failed = AxonTail.json(tail.nextSystem("turn.failed"));
        assertThat(failed.path("turn_id").asText()).isEqualTo("turn_" + triggers.get(0));
        assertThat(failed.path("error").asText()).isEqualTo("broker restarted");
        for (long trigger : triggers.subList(1, 3)) {
            assertThat(AxonTail.json(tail.nextSystem("turn.started")).path("turn_id").asText()).isEqualTo("turn_" + trigger);
            tail.nextAgent("session/request_permission");
            tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "selected", "optionId", "reject")));
            JsonNode done = AxonTail.json(tail.nextSystem("turn.completed"));
            assertThat(done.path("turn_id").asText()).isEqualTo("turn_" + trigger);
        }
        List<AxonEvent> all = tail.drain();
        for (long trigger : triggers) {
            assertThat(all).as("turn.started of turn_" + trigger)
                    .filteredOn(e -> e.origin() == Origin.SYSTEM_EVENT && e.eventType().equals("turn.started")
                            && e.payload().contains("\"turn_" + trigger + "\""))
                    .hasSize(1);
        }
    }

    /** A client that waits out the server's restart. */
    static MyelinClient patient(String url, String key) {
        return MyelinClient.builder().baseUrl(url).apiKey(key).maxRetries(Integer.MAX_VALUE)
                .callTimeout(Duration.ofSeconds(120)).build();
    }
}
