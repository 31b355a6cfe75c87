package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle devboxes, timed on the engine's clock (moved by the test, never slept on): after {@code idle_time_seconds}
 * with every broker idle a devbox suspends (agents frozen) or stops its agents, a keep-alive or a broker's activity
 * restarts the idle clock, a broker's wake request resumes it, and {@code keep_alive_time_seconds} shuts it down.
 */
@Timeout(120)
class DevboxIdleTest {
    static DevboxFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = DevboxFixture.start(Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static Map<String, Object> idle(String axon, long seconds, String onIdle) {
        return Map.of("launch_parameters", Map.of(
                        "launch_commands", List.of("echo started >> starts.txt"),
                        "lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", seconds, "on_idle", onIdle))),
                "mounts", List.of(DevboxFixture.catMount(axon)));
    }

    @Test
    void anIdleDevboxSuspendsAndAWakeRequestResumesIt() {
        String axon = f.server.createAxon("idle-suspend");
        String id = f.create(idle(axon, 600, "suspend")).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        long pid = mount.process().pid();

        f.clock.advance(Duration.ofSeconds(400));
        assertThat(f.post(id, "keep_alive").status()).isEqualTo(200);
        f.clock.advance(Duration.ofSeconds(400));
        mount.listener().activity(); // the broker saw a turn start: idle time counts from now
        mount.listener().idle();
        f.clock.advance(Duration.ofSeconds(599));
        assertThat(f.get(id).get("status").asText()).isEqualTo("running");

        mount.setIdle(false); // a turn runs: however long, the devbox is not idle
        f.clock.advance(Duration.ofSeconds(3600));
        assertThat(f.get(id).get("status").asText()).isEqualTo("running");
        mount.listener().idle(); // the turn ended: the broker reports it, then answers idle
        mount.setIdle(true);
        f.clock.advance(Duration.ofSeconds(600));

        f.awaitStatus(id, "suspended");
        ProcessBrokerFactory.awaitState(pid, true);
        assertThat(mount.calls()).containsExactly("start", "suspend");

        mount.listener().wakeRequested(); // a turn-starting event arrived on the axon
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.awaitState(pid, false);
        assertThat(mount.calls()).containsExactly("start", "suspend", "resume");
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended idle", "devbox.running axon_event");
        f.post(id, "shutdown");
    }

    @Test
    void onIdleShutdownStopsTheAgentsAndAWakeStartsThemAgain() throws Exception {
        String axon = f.server.createAxon("idle-stop");
        String id = f.create(idle(axon, 60, "shutdown")).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        Process first = mount.process();

        f.clock.advance(Duration.ofSeconds(61));
        JsonNode suspended = f.awaitStatus(id, "suspended");
        assertThat(suspended.get("status").asText()).as("stopped agents wake too: the devbox reports suspended")
                .isEqualTo("suspended");
        assertThat(first.isAlive()).isFalse();
        assertThat(mount.calls()).containsExactly("start", "shutdown");

        mount.listener().wakeRequested();
        f.awaitStatus(id, "running");
        assertThat(mount.calls()).as("the broker restarts its stopped agent").containsExactly("start", "shutdown", "resume", "start");
        assertThat(mount.process().isAlive()).isTrue();
        assertThat(mount.process().pid()).isNotEqualTo(first.pid());
        assertThat(Files.readAllLines(f.workspace(id).resolve("starts.txt")))
                .as("launch commands run at every start of the agents").containsExactly("started", "started");
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended idle_shutdown", "devbox.running axon_event");
        f.post(id, "shutdown");
    }

    @Test
    void aResumeWhileSuspendingIsCarriedOutOnceSuspended() throws Exception {
        String axon = f.server.createAxon("idle-wake-early");
        String id = f.create(Map.of("launch_parameters", Map.of("lifecycle", Map.of("lifecycle_hooks", Map.of(
                        "suspend_commands", List.of("while [ ! -f go ]; do sleep 0.05; done; rm go"),
                        "suspend_deadline_ms", 60000))),
                "mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);

        assertThat(f.post(id, "suspend").json().get("status").asText()).isEqualTo("suspending");
        mount.listener().wakeRequested();
        Files.writeString(f.workspace(id).resolve("go"), "");
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended api_suspend", "devbox.running axon_event");

        assertThat(f.post(id, "suspend").json().get("status").asText()).isEqualTo("suspending");
        assertThat(f.post(id, "resume").json().get("status").asText()).as("remembered while suspending")
                .isEqualTo("suspending");
        Files.writeString(f.workspace(id).resolve("go"), "");
        f.awaitLifecycleEvents(axon, id, "devbox.running -", "devbox.suspended api_suspend", "devbox.running axon_event",
                "devbox.suspended api_suspend", "devbox.running resume");
        assertThat(mount.calls()).containsExactly("start", "suspend", "resume", "suspend", "resume");
        f.post(id, "shutdown");
    }

    @Test
    void withoutAxonEventTriggersAWakeRequestIsIgnored() {
        String axon = f.server.createAxon("idle-no-wake");
        String id = f.create(Map.of("launch_parameters", Map.of("lifecycle", Map.of("resume_triggers", Map.of("axon_event", false))),
                "mounts", List.of(DevboxFixture.catMount(axon)))).get("id").asText();
        f.awaitStatus(id, "running");
        ProcessBrokerFactory.Mount mount = f.lastMount(id);
        assertThat(mount.spec().wakeOnAxonEvent()).isFalse();
        f.post(id, "suspend");
        f.awaitStatus(id, "suspended");
        mount.listener().wakeRequested();
        f.post(id, "keep_alive");
        assertThat(f.get(id).get("status").asText()).isEqualTo("suspended");
        f.post(id, "resume");
        f.awaitStatus(id, "running");
        f.post(id, "shutdown");
    }

    @Test
    void keepAliveTimeSecondsShutsTheDevboxDownUnlessKeptAlive() {
        String id = f.create(Map.of("launch_parameters", Map.of("keep_alive_time_seconds", 100))).get("id").asText();
        f.awaitStatus(id, "running");
        f.clock.advance(Duration.ofSeconds(90));
        f.post(id, "keep_alive");
        f.clock.advance(Duration.ofSeconds(90));
        assertThat(f.get(id).get("status").asText()).isEqualTo("running");
        f.clock.advance(Duration.ofSeconds(10));
        JsonNode d = f.awaitStatus(id, "shutdown");
        assertThat(d.get("shutdown_reason").asText()).isEqualTo("keep_alive_timeout");
        assertThat(f.workspace(id)).doesNotExist();
    }

    @Test
    void aDevboxWithoutMountsIsIdleFromTheStart() {
        String id = f.create(Map.of("launch_parameters", Map.of("lifecycle",
                Map.of("after_idle", Map.of("idle_time_seconds", 5, "on_idle", "suspend"))))).get("id").asText();
        f.awaitStatus(id, "running");
        f.clock.advance(Duration.ofSeconds(5));
        f.awaitStatus(id, "suspended");
        f.post(id, "resume");
        f.awaitStatus(id, "running");
        f.post(id, "shutdown");
    }
}
