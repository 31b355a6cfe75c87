package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code myelin devboxes ...} in-process against a real server whose devboxes run real launch commands. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer({"devboxes.allow-commands=true"})
class DevboxesCommandTest {
    @InjectServer
    static TestServer server;

    @Test
    void createWaitSuspendResumeShutdown() {
        for (String sub : List.of("create", "list", "get", "suspend", "resume", "shutdown")) {
            Cli.Result help = Cli.runRaw("devboxes", sub, "--help");
            assertThat(help.exit()).as(sub).isZero();
        }
        Cli.Result created = Cli.run(server, "devboxes", "create", "--name", "cli-box", "-m", "team=infra",
                "-e", "WHO=cli", "--launch-command", "echo $WHO > who.txt", "--idle", "10m", "--wait", "--quiet");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(id).startsWith("dbx_");

        Cli.Result got = Cli.run(server, "devboxes", "get", id);
        assertThat(got.out()).contains("id        " + id, "name      cli-box", "status    running",
                "metadata  team=infra", "launch    echo $WHO > who.txt", "idle      suspend after 600s", "history   provisioning");
        JsonNode j = CliJson.tryParse(Cli.run(server, "devboxes", "get", id, "--json").out().strip());
        assertThat(j.get("status").asText()).isEqualTo("running");
        assertThat(j.get("launch_parameters").get("lifecycle").get("after_idle").get("on_idle").asText()).isEqualTo("suspend");

        Cli.Result suspended = Cli.run(server, "devboxes", "suspend", id, "--wait");
        assertThat(suspended.exit()).as(suspended.err()).isZero();
        assertThat(suspended.out()).contains("status    suspended");
        assertThat(Cli.run(server, "devboxes", "list", "--status", "suspended").out()).contains(id);
        assertThat(Cli.run(server, "devboxes", "list", "--status", "running", "--json").out()).doesNotContain(id);
        assertThat(Cli.run(server, "devboxes", "resume", id, "--wait").out()).contains("status    running");

        Cli.Result list = Cli.run(server, "devboxes", "list");
        assertThat(list.lines().getFirst()).startsWith("ID").contains("NAME", "STATUS", "CREATED", "METADATA");
        assertThat(list.out()).contains(id);

        assertThat(Cli.run(server, "devboxes", "shutdown", id).out().strip()).isEqualTo("shut down " + id);
        assertThat(Cli.run(server, "devboxes", "get", id).out()).contains("status    shutdown (api_shutdown)", "ended     ");
        Cli.Result refused = Cli.run(server, "devboxes", "suspend", id);
        assertThat(refused.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(refused.err()).contains("is shutdown");
    }

    @Test
    void failuresAndUsage() {
        Cli.Result failed = Cli.run(server, "devboxes", "create", "--launch-command", "exit 4", "--wait");
        assertThat(failed.exit()).isEqualTo(ExitCode.DEVBOX_FAILED);
        assertThat(failed.err()).contains("is failure, not running", "execution_failed");
        assertThat(Cli.run(server, "devboxes", "create", "--axon", "axn_x").exit()).isEqualTo(ExitCode.USAGE);
        Cli.Result noAgent = Cli.run(server, "devboxes", "create", "--axon", Cli.run(server, "axons", "create", "--quiet").out().strip(),
                "--agent", "opencode");
        assertThat(noAgent.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(noAgent.err()).contains("mounts");
        assertThat(Cli.run(server, "devboxes", "get", "dbx_missing").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(Cli.run(server, "devboxes", "list", "--status", "asleep").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "devboxes").exit()).isEqualTo(ExitCode.USAGE);
    }
}
