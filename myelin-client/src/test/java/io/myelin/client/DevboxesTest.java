package io.myelin.client;

import io.myelin.testkit.TestServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's devbox calls against a real server, whose devboxes run real launch commands. */
@Timeout(120)
class DevboxesTest {
    static TestServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("devboxes.allow-commands", "true", "devboxes.wait-timeout", "500ms"));
        client = Clients.of(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void createAwaitSuspendResumeShutdown() throws Exception {
        Devbox created = client.devboxes().create(NewDevbox.builder()
                .name("client-devbox")
                .metadata("team", "infra")
                .environment("WHO", "client")
                .launchCommand("echo \"$WHO\" > who.txt")
                .afterIdle(Duration.ofMinutes(10), "suspend")
                .suspendCommand("true")
                .build(), "create-" + System.nanoTime());
        assertThat(created.id()).startsWith("dbx_");
        assertThat(created.name()).isEqualTo("client-devbox");
        assertThat(created.metadata()).containsEntry("team", "infra");

        Devbox running = client.devboxes().awaitStatus(created.id(), Duration.ofSeconds(60), DevboxStatus.RUNNING);
        assertThat(running.status()).isEqualTo(DevboxStatus.RUNNING);
        assertThat(running.launchParameters().launchCommands()).containsExactly("echo \"$WHO\" > who.txt");
        assertThat(running.launchParameters().lifecycle().afterIdle()).isEqualTo(new LaunchParameters.AfterIdle(600, "suspend"));
        assertThat(running.launchParameters().lifecycle().lifecycleHooks().suspendDeadlineMs()).isEqualTo(30_000L);
        assertThat(running.stateTransitions()).extracting(DevboxStateTransition::status)
                .containsExactly(DevboxStatus.PROVISIONING, DevboxStatus.INITIALIZING, DevboxStatus.RUNNING);
        Path workspace = server.dataDir().resolve("devboxes").resolve(created.id());
        assertThat(Files.readString(workspace.resolve("who.txt")).strip()).isEqualTo("client");

        assertThat(client.devboxes().suspend(created.id()).status()).isIn(DevboxStatus.SUSPENDING, DevboxStatus.SUSPENDED);
        assertThat(client.devboxes().awaitStatus(created.id(), Duration.ofSeconds(60), DevboxStatus.SUSPENDED).status())
                .isEqualTo(DevboxStatus.SUSPENDED);
        assertThatThrownBy(() -> client.devboxes().awaitStatus(created.id(), Duration.ofSeconds(1), DevboxStatus.RUNNING))
                .isInstanceOf(MyelinConnectionException.class).hasMessageContaining("still suspended");
        client.devboxes().resume(created.id());
        assertThat(client.devboxes().awaitStatus(created.id(), Duration.ofSeconds(60), DevboxStatus.RUNNING).status())
                .isEqualTo(DevboxStatus.RUNNING);
        assertThat(client.devboxes().keepAlive(created.id()).status()).isEqualTo(DevboxStatus.RUNNING);
        assertThat(client.devboxes().list(DevboxStatus.RUNNING).stream().map(Devbox::id)).contains(created.id());

        Devbox shut = client.devboxes().shutdown(created.id());
        assertThat(shut.status()).isEqualTo(DevboxStatus.SHUTDOWN);
        assertThat(shut.shutdownReason()).isEqualTo("api_shutdown");
        assertThat(shut.endTimeMs()).isNotNull();
        assertThat(workspace).doesNotExist();
        assertThat(client.devboxes().get(created.id())).isEqualTo(shut);
        assertThat(client.devboxes().list().stream().map(Devbox::id)).contains(created.id());
        assertThat(client.devboxes().list(DevboxStatus.RUNNING).stream().map(Devbox::id)).doesNotContain(created.id());
        assertThatThrownBy(() -> client.devboxes().suspend(created.id())).isInstanceOf(ConflictException.class);
    }

    @Test
    void refusalsNameTheField() {
        assertThatThrownBy(() -> client.devboxes().create(NewDevbox.builder()
                .mount(BrokerMount.acp(client.axons().create().id(), "opencode", "acp")).build()))
                .isInstanceOfSatisfying(MyelinApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.field()).isEqualTo("mounts[0].agent_binary");
                });
        assertThatThrownBy(() -> client.devboxes().get("dbx_missing")).isInstanceOf(NotFoundException.class);
        Devbox failed = client.devboxes().create(NewDevbox.builder().launchCommand("exit 9").build());
        Devbox settled = client.devboxes().awaitStatus(failed.id(), Duration.ofSeconds(60), DevboxStatus.RUNNING);
        assertThat(settled.status()).as("a failure ends the wait").isEqualTo(DevboxStatus.FAILURE);
        assertThat(settled.failureReason()).isEqualTo("execution_failed");
        client.devboxes().shutdown(failed.id());
    }
}
