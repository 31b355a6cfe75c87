package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Devboxes are durable: after the server stops and starts again on the same data dir, a devbox that was running
 * runs again (launch commands and agents started again), one that was suspended is suspended with no agent process
 * and its brokers ready to wake it, a failed one stays failed, and workspaces no devbox owns are removed.
 */
@Timeout(120)
class DevboxRestartTest {

    private static Map<String, Object> body(String axon) {
        return Map.of("launch_parameters", Map.of("launch_commands", List.of("echo started >> starts.txt")),
                "mounts", List.of(DevboxFixture.catMount(axon)));
    }

    @Test
    void devboxesComeBackAfterARestart() throws Exception {
        try (DevboxFixture f = DevboxFixture.start(Map.of())) {
            String axonA = f.server.createAxon("restart-running");
            String axonB = f.server.createAxon("restart-suspended");
            String running = f.create(body(axonA)).get("id").asText();
            String suspended = f.create(body(axonB)).get("id").asText();
            String failed = f.create(Map.of("launch_parameters", Map.of("launch_commands", List.of("exit 1"))))
                    .get("id").asText();
            String gone = f.create(Map.of()).get("id").asText();
            f.awaitStatus(running, "running");
            f.awaitStatus(suspended, "running");
            f.awaitStatus(failed, "failure");
            f.awaitStatus(gone, "running");
            f.post(suspended, "suspend");
            f.awaitStatus(suspended, "suspended");
            f.post(gone, "shutdown");
            ProcessBrokerFactory.Mount before = f.lastMount(running);
            Path stray = f.dataDir.resolve("devboxes").resolve("dbx_aaaaaaaaaaaaaaaaaaaaaaaaaa");
            Files.createDirectories(stray);

            f.stop();
            assertThat(before.closed()).as("stopping the server stops the agents").isTrue();
            assertThat(before.process().isAlive()).isFalse();

            f.restart();
            f.awaitStatus(running, "running");
            ProcessBrokerFactory.Mount after = f.lastMount(running);
            assertThat(after).isNotSameAs(before);
            assertThat(after.calls()).containsExactly("start");
            assertThat(after.process().isAlive()).isTrue();
            assertThat(Files.readAllLines(f.workspace(running).resolve("starts.txt"))).containsExactly("started", "started");
            assertThat(f.get(running).get("state_transitions").findValuesAsText("status")).containsExactly(
                    "provisioning", "initializing", "running", "initializing", "running");
            f.awaitLifecycleEvents(axonA, running, "devbox.running -", "devbox.running server_restart");

            assertThat(f.get(suspended).get("status").asText()).isEqualTo("suspended");
            org.awaitility.Awaitility.await().atMost(DevboxFixture.WAIT).untilAsserted(() ->
                    assertThat(f.lastMount(suspended).calls()).as("its broker is ready to wake it, no agent started")
                            .containsExactly("attach"));
            assertThat(f.lastMount(suspended).process()).isNull();
            f.lastMount(suspended).listener().wakeRequested();
            f.awaitStatus(suspended, "running");
            assertThat(f.lastMount(suspended).calls()).containsExactly("attach", "resume", "start");
            assertThat(f.lastMount(suspended).process().isAlive()).isTrue();
            assertThat(Files.readAllLines(f.workspace(suspended).resolve("starts.txt")))
                    .as("its agents were stopped, so its launch commands run again").containsExactly("started", "started");
            f.awaitLifecycleEvents(axonB, suspended, "devbox.running -", "devbox.suspended api_suspend",
                    "devbox.running axon_event");

            assertThat(f.get(failed).get("status").asText()).isEqualTo("failure");
            assertThat(f.get(gone).get("status").asText()).isEqualTo("shutdown");
            assertThat(stray).as("a workspace no devbox owns is removed at start").doesNotExist();
            assertThat(f.workspace(failed)).as("a failed devbox keeps its workspace until it is shut down").exists();
        }
    }

    @Test
    void aDevboxStoppedWhileSuspendingIsSuspendedAfterTheRestart() throws Exception {
        try (DevboxFixture f = DevboxFixture.start(Map.of())) {
            String axon = f.server.createAxon("restart-suspending");
            String id = f.create(Map.of("launch_parameters", Map.of("lifecycle", Map.of("lifecycle_hooks",
                            Map.of("suspend_commands", List.of("sleep 60"), "suspend_deadline_ms", 60000))),
                    "mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
            f.awaitStatus(id, "running");
            assertThat(f.post(id, "suspend").json().get("status").asText()).isEqualTo("suspending");
            f.stop();

            f.restart();
            assertThat(f.get(id).get("status").asText()).isEqualTo("suspended");
            f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended server_restart");
            f.post(id, "resume");
            f.awaitStatus(id, "running");
            f.post(id, "shutdown");
        }
    }
}
