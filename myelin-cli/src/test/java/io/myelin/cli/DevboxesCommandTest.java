package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code myelin devboxes ...} in-process against a real server whose devboxes run real launch commands. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DevboxesCommandTest {
    static CliServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new CliServer(Map.of("devboxes.allow-commands", "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createWaitSuspendResumeShutdown() {
        for (String sub : List.of("create", "list", "get", "suspend", "resume", "shutdown")) {
            CliServer.Result help = CliServer.runRaw("devboxes", sub, "--help");
            assertThat(help.exit()).as(sub).isZero();
        }
        CliServer.Result created = server.run("devboxes", "create", "--name", "cli-box", "-m", "team=infra",
                "-e", "WHO=cli", "--launch-command", "echo $WHO > who.txt", "--idle", "10m", "--wait", "--quiet");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(id).startsWith("dbx_");

        CliServer.Result got = server.run("devboxes", "get", id);
        assertThat(got.out()).contains("id        " + id, "name      cli-box", "status    running",
                "metadata  team=infra", "launch    echo $WHO > who.txt", "idle      suspend after 600s", "history   provisioning");
        JsonNode j = CliJson.tryParse(server.run("devboxes", "get", id, "--json").out().strip());
        assertThat(j.get("status").asText()).isEqualTo("running");
        assertThat(j.get("launch_parameters").get("lifecycle").get("after_idle").get("on_idle").asText()).isEqualTo("suspend");

        CliServer.Result suspended = server.run("devboxes", "suspend", id, "--wait");
        assertThat(suspended.exit()).as(suspended.err()).isZero();
        assertThat(suspended.out()).contains("status    suspended");
        assertThat(server.run("devboxes", "list", "--status", "suspended").out()).contains(id);
        assertThat(server.run("devboxes", "list", "--status", "running", "--json").out()).doesNotContain(id);
        assertThat(server.run("devboxes", "resume", id, "--wait").out()).contains("status    running");

        CliServer.Result list = server.run("devboxes", "list");
        assertThat(list.lines().getFirst()).startsWith("ID").contains("NAME", "STATUS", "CREATED", "METADATA");
        assertThat(list.out()).contains(id);

        assertThat(server.run("devboxes", "shutdown", id).out().strip()).isEqualTo("shut down " + id);
        assertThat(server.run("devboxes", "get", id).out()).contains("status    shutdown (api_shutdown)", "ended     ");
        CliServer.Result refused = server.run("devboxes", "suspend", id);
        assertThat(refused.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(refused.err()).contains("is shutdown");
    }

    @Test
    void failuresAndUsage() {
        CliServer.Result failed = server.run("devboxes", "create", "--launch-command", "exit 4", "--wait");
        assertThat(failed.exit()).isEqualTo(ExitCode.DEVBOX_FAILED);
        assertThat(failed.err()).contains("is failure, not running", "execution_failed");
        assertThat(server.run("devboxes", "create", "--axon", "axn_x").exit()).isEqualTo(ExitCode.USAGE);
        CliServer.Result noAgent = server.run("devboxes", "create", "--axon", server.run("axons", "create", "--quiet").out().strip(),
                "--agent", "opencode");
        assertThat(noAgent.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(noAgent.err()).contains("mounts");
        assertThat(server.run("devboxes", "get", "dbx_missing").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(server.run("devboxes", "list", "--status", "asleep").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(server.run("devboxes").exit()).isEqualTo(ExitCode.USAGE);
    }
}
