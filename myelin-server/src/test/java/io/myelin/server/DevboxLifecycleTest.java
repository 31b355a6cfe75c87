package io.myelin.server;

import io.myelin.testkit.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerSpec;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A devbox's life over HTTP with real processes: launch commands run in a private workspace, the agent process
 * starts with a clean environment, suspend freezes it (SIGSTOP), resume thaws it, shutdown stops it and removes the
 * workspace, a failing launch command fails the devbox; each status change is announced on the mounted axon.
 */
@Timeout(120)
class DevboxLifecycleTest {
    static DevboxFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DevboxFixture.start(Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aDevboxRunsItsLaunchCommandsThenItsAgentInItsWorkspace() throws Exception {
        String axon = f.server.createAxon("devbox-run");
        JsonNode created = f.create(Map.of("name", "runner", "metadata", Map.of("team", "infra"),
                "environment_variables", Map.of("GREETING", "hello"),
                "launch_parameters", Map.of("launch_commands", List.of("echo \"$GREETING from $MYELIN_DEVBOX_ID\" > launched.txt")),
                "mounts", List.of(DevboxFixture.catMount(axon))));
        String id = created.get("id").asText();
        assertThat(id).matches("dbx_[a-z2-7]{26}");
        assertThat(created.get("status").asText()).isIn("provisioning", "initializing", "running");
        assertThat(created.get("name").asText()).isEqualTo("runner");
        assertThat(created.get("metadata").get("team").asText()).isEqualTo("infra");
        assertThat(created.get("create_time_ms").asLong()).isEqualTo(f.clock.millis());
        assertThat(created.get("end_time_ms").isNull()).isTrue();
        assertThat(created.get("capabilities").isArray()).isTrue();

        JsonNode running = f.awaitStatus(id, "running", "failure");
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("state_transitions").findValuesAsText("status"))
                .containsExactly("provisioning", "initializing", "running");
        assertThat(running.get("launch_parameters").get("lifecycle").get("resume_triggers").get("axon_event").asBoolean()).isTrue();
        assertThat(running.get("launch_parameters").get("lifecycle").get("lifecycle_hooks").get("suspend_deadline_ms").asLong())
                .isEqualTo(30_000);

        assertThat(Files.readString(f.workspace(id).resolve("launched.txt")).strip()).isEqualTo("hello from " + id);
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        BrokerSpec spec = mount.spec();
        assertThat(spec.axonId()).isEqualTo(axon);
        assertThat(spec.command()).containsExactly("/bin/cat");
        assertThat(spec.workingDirectory()).isEqualTo(f.workspace(id));
        assertThat(spec.wakeOnAxonEvent()).isTrue();
        assertThat(spec.environment()).containsEntry("GREETING", "hello").containsEntry("HOME", f.workspace(id).toString())
                .containsEntry("MYELIN_DEVBOX_ID", id).doesNotContainKeys("JAVA_HOME", "MAVEN_OPTS", "MYELIN_ADMIN_KEY");
        assertThat(ProcessBrokerFactory.processEnvironment(mount.process().pid()))
                .contains("GREETING=hello").noneMatch(v -> v.startsWith("JAVA_HOME="));
        assertThat(mount.process().isAlive()).isTrue();
        f.awaitLifecycleEvents(axon, id, "devbox.running -");
    }

    @Test
    void suspendFreezesTheAgentAndResumeThawsIt() {
        String axon = f.server.createAxon("devbox-freeze");
        String id = f.create(Map.of("mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        long pid = mount.process().pid();

        TestServer.Reply suspended = f.post(id, "suspend");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.json().get("status").asText()).isIn("suspending", "suspended");
        f.awaitStatus(id, "suspended");
        ProcessBrokerFactory.awaitState(pid, true);
        assertThat(f.post(id, "suspend").json().get("status").asText()).as("a repeat finds it suspended").isEqualTo("suspended");
        assertThat(f.post(id, "keep_alive").status()).isEqualTo(200);

        TestServer.Reply resumed = f.post(id, "resume");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.awaitState(pid, false);
        assertThat(mount.process().pid()).as("a frozen agent is thawed, not restarted").isEqualTo(pid);
        assertThat(mount.calls()).containsExactly("start", "suspend", "resume");
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended api_suspend", "devbox.running resume");
        assertThat(f.get(id).get("state_transitions").findValuesAsText("status")).containsExactly("provisioning",
                "initializing", "running", "suspending", "suspended", "resuming", "running");
    }

    @Test
    void shutdownStopsTheAgentRemovesTheWorkspaceAndIsFinal() {
        String axon = f.server.createAxon("devbox-shutdown");
        String id = f.create(Map.of("mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        assertThat(Files.isDirectory(f.workspace(id))).isTrue();

        TestServer.Reply r = f.post(id, "shutdown");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.get("status").asText()).isEqualTo("shutdown");
        assertThat(d.get("shutdown_reason").asText()).isEqualTo("api_shutdown");
        assertThat(d.get("end_time_ms").asLong()).isEqualTo(f.clock.millis());
        assertThat(mount.closed()).isTrue();
        assertThat(mount.process().isAlive()).isFalse();
        assertThat(f.workspace(id)).doesNotExist();
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.shutdown api_shutdown");

        assertThat(f.post(id, "shutdown").json()).as("a repeat answers the same").isEqualTo(d);
        assertThat(f.get(id)).isEqualTo(d);
        for (String action : List.of("suspend", "resume", "keep_alive")) {
            TestServer.Reply refused = f.post(id, action);
            assertThat(refused.status()).as(action).isEqualTo(409);
            assertThat(refused.json().get("error").get("message").asText()).contains("is shutdown");
        }
        TestServer.Reply waited = f.server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of("running")));
        assertThat(waited.json().get("status").asText()).as("waiting on a shut-down devbox answers at once")
                .isEqualTo("shutdown");
    }

    @Test
    void aFailingLaunchCommandFailsTheDevboxAndSaysWhy() {
        String axon = f.server.createAxon("devbox-fail");
        String id = f.create(Map.of(
                "launch_parameters", Map.of("launch_commands", List.of("true", "echo boom >&2; exit 3", "touch never")),
                "mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        JsonNode failed = f.awaitStatus(id, "running", "failure");
        assertThat(failed.get("status").asText()).isEqualTo("failure");
        assertThat(failed.get("failure_reason").asText()).isEqualTo("execution_failed");
        assertThat(f.brokers.mountsOf(id)).as("no agent starts after a failed launch command").isEmpty();
        assertThat(f.workspace(id).resolve("never")).doesNotExist();
        Awaitility.await().atMost(DevboxFixture.WAIT).untilAsserted(() -> assertThat(f.lifecycleEvents(axon, id))
                .singleElement().asString().startsWith("devbox.failed launch command 2 exited with status 3")
                .contains("boom"));
        assertThat(f.post(id, "resume").status()).isEqualTo(409);
        assertThat(f.post(id, "shutdown").json().get("status").asText()).isEqualTo("shutdown");
        assertThat(f.workspace(id)).doesNotExist();
    }

    @Test
    void commandOutputGoesToTheServerLog() {
        try (LogCapture log = new LogCapture("io.myelin.devbox.CommandRunner", ch.qos.logback.classic.Level.INFO)) {
            String id = f.create(Map.of("launch_parameters", Map.of("launch_commands",
                    List.of("echo to-stdout; echo to-stderr >&2; printf 'no newline at the end'")))).get("id").asText();
            f.awaitStatus(id, "running");
            assertThat(log.lines("devbox " + id + " launch command 1: ")).extracting(l -> l.substring(l.indexOf(": ") + 2))
                    .containsExactly("to-stdout", "to-stderr", "no newline at the end");
            f.post(id, "shutdown");
        }
    }

    @Test
    void aLaunchCommandRunsWithTheCleanEnvironmentOnly() throws Exception {
        String id = f.create(Map.of("launch_parameters", Map.of("launch_commands",
                List.of("env | sort > env.txt")))).get("id").asText();
        f.awaitStatus(id, "running");
        List<String> env = Files.readAllLines(f.workspace(id).resolve("env.txt"));
        assertThat(env).contains("HOME=" + f.workspace(id), "MYELIN_DEVBOX_ID=" + id, "LANG=C.UTF-8")
                .noneMatch(v -> v.startsWith("JAVA_HOME=") || v.startsWith("MYELIN_ADMIN_KEY="));
        f.post(id, "shutdown");
    }

    @Test
    void suspendCommandsRunBeforeTheAgentIsFrozenAndTheirBudgetBoundsThem() throws Exception {
        String axon = f.server.createAxon("devbox-hooks");
        String id = f.create(Map.of(
                "launch_parameters", Map.of("lifecycle", Map.of("lifecycle_hooks", Map.of(
                        "suspend_commands", List.of("echo one >> hooks.txt", "exit 7", "echo three >> hooks.txt; sleep 60",
                                "echo never >> hooks.txt"),
                        "suspend_deadline_ms", 1500))),
                "mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        f.awaitStatus(id, "running");
        f.post(id, "suspend");
        f.awaitStatus(id, "suspended");
        assertThat(Files.readAllLines(f.workspace(id).resolve("hooks.txt"))).containsExactly("one", "three");
        assertThat(f.lastMount(id).calls()).containsExactly("start", "suspend");
        f.post(id, "shutdown");
    }

    @Test
    void requestsThatTheLifecycleDoesNotAllowAreRefusedWithTheStatus() {
        String id = f.create(Map.of()).get("id").asText();
        f.awaitStatus(id, "running");
        TestServer.Reply r = f.post(id, "resume");
        assertThat(r.json().get("status").asText()).as("resume of a running devbox finds it running").isEqualTo("running");
        f.post(id, "shutdown");
        TestServer.Reply refused = f.post(id, "suspend");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorType()).isEqualTo("conflict");
        assertThat(refused.json().get("error").get("message").asText()).contains(id).contains("shutdown");
        assertThat(f.server.get("/v1/devboxes/dbx_nope").status()).isEqualTo(404);
        assertThat(f.post("dbx_nope", "suspend").status()).isEqualTo(404);
    }
}
