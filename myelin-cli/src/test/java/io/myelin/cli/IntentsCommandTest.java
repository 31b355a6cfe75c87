package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin intents ...} and {@code myelin inbox}, in-process through the real command tree, against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class IntentsCommandTest {
    @InjectServer
    static TestServer server;

    private static String newAxon() {
        return Cli.run(server, "axons", "create", "--quiet").out().strip();
    }

    private static String create(String axon, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("intents", "create", "--axon", axon, "--quiet"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(server, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void everyCommandHasHelp() {
        for (String sub : List.of("list", "show", "create", "approve", "reject", "resolve", "cancel")) {
            assertThat(Cli.runRaw("intents", sub, "--help").exit()).as(sub).isZero();
        }
        assertThat(Cli.runRaw("inbox", "--help").exit()).isZero();
        assertThat(Cli.runRaw("--help").out()).contains("intents", "inbox");
        assertThat(Cli.run(server, "intents").exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void createShowInboxApproveAndTheLosersConflict(@TempDir Path dir) throws Exception {
        String axon = newAxon();
        String who = "cli-" + UUID.randomUUID();
        Files.writeString(dir.resolve("payload.json"), "{\"order\":1234}");
        String id = create(axon, "--kind", "refund.approval", "--waiting-for", "human", "--title", "Refund order 1234?",
                "--payload", "@" + dir.resolve("payload.json"), "--assignee", who, "--deadline", "10m",
                "--remind-every", "5m", "--on-deadline", "escalate", "--escalate-to", "boss");
        assertThat(id).startsWith("int_");

        Cli.Result shown = Cli.run(server, "intents", "show", id);
        assertThat(shown.out()).contains("id           " + id, "axon         " + axon, "kind         refund.approval",
                "waiting for  human", "status       waiting", "title        Refund order 1234?", "assignee     " + who,
                "payload      {\"order\":1234}", "(then escalate to boss)", "reminders    every 5m");

        Cli.Result inbox = Cli.run(server, "inbox", "--assignee", who);
        assertThat(inbox.exit()).isZero();
        assertThat(inbox.lines().getFirst()).startsWith("ID").contains("AXON", "KIND", "ASSIGNEE", "TITLE", "DEADLINE");
        assertThat(inbox.lines()).hasSize(2);
        assertThat(inbox.lines().get(1)).contains(id, "refund.approval", "Refund order 1234?");
        JsonNode line = CliJson.tryParse(Cli.run(server, "inbox", "--assignee", who, "--json").out().strip());
        assertThat(line.get("id").asText()).isEqualTo(id);
        assertThat(line.get("waiting_for").asText()).isEqualTo("human");

        Cli.Result approved = Cli.run(server, "intents", "approve", id, "--comment", "fine", "--result", "{\"refund_id\":\"r_1\"}");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(approved.out()).contains("status       completed", "outcome      approved by ", "result       {\"refund_id\":\"r_1\"}",
                "comment      fine");
        Cli.Result late = Cli.run(server, "intents", "reject", id);
        assertThat(late.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(late.err()).contains(id, "completed", "approved by");
        assertThat(Cli.run(server, "intents", "cancel", id).exit()).isEqualTo(ExitCode.REJECTED);
        Cli.Result empty = Cli.run(server, "inbox", "--assignee", who);
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("no intents waiting for a person");
    }

    @Test
    void showWaitReturnsWhenResolvedAndTimesOutWithStatus7() throws Exception {
        String axon = newAxon();
        String id = create(axon, "--kind", "ci.run", "--waiting-for", "tool");

        Cli.Result still = Cli.run(server, "intents", "show", id, "--wait", "300ms");
        assertThat(still.exit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(still.out()).contains("status       waiting");
        assertThat(still.err()).contains("still waiting");

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Cli.Result> waiting = pool.submit(() -> Cli.run(server, "intents", "show", id, "--wait", "60s", "--json"));
            Cli.Result done = Cli.run(server, "intents", "resolve", id, "--outcome", "failed", "--result", "{\"exit\":2}");
            assertThat(done.exit()).as(done.err()).isZero();
            Cli.Result waited = Await.result("show --wait returns", Duration.ofSeconds(90), waiting);
            assertThat(waited.exit()).as(waited.err()).isZero();
            JsonNode j = CliJson.tryParse(waited.out().strip());
            assertThat(j.get("status").asText()).isEqualTo("failed");
            assertThat(j.get("resolution").get("outcome").asText()).isEqualTo("failed");
            assertThat(j.get("resolution").get("result").get("exit").asInt()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listFiltersAndCancel() {
        String axon = newAxon();
        String timer = create(axon, "--kind", "wake", "--waiting-for", "time", "--fire", "1h");
        String tool = create(axon, "--kind", "ci.run", "--waiting-for", "tool");
        Cli.Result all = Cli.run(server, "intents", "list", "--axon", axon);
        assertThat(all.lines()).hasSize(3);
        assertThat(all.lines().get(1)).contains(timer, "time", "waiting");
        assertThat(all.lines().get(2)).contains(tool, "tool");
        assertThat(Cli.run(server, "intents", "list", "--axon", axon, "--limit", "1").lines()).hasSize(2);
        assertThat(Cli.run(server, "intents", "list", "--axon", axon, "--waiting-for", "tool", "--json").lines())
                .singleElement().asString().contains(tool);

        Cli.Result cancelled = Cli.run(server, "intents", "cancel", timer, "--reason", "not needed");
        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("status       cancelled", "comment      not needed");
        assertThat(Cli.run(server, "intents", "list", "--axon", axon, "--status", "cancelled").out()).contains(timer)
                .doesNotContain(tool);
    }

    @Test
    void badInputIsAUsageErrorAndUnknownIdsAreNotFound() {
        String axon = newAxon();
        assertThat(Cli.run(server, "intents", "create", "--axon", axon, "--kind", "k", "--waiting-for", "nobody").exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "intents", "create", "--axon", axon, "--kind", "k", "--waiting-for", "human",
                "--payload", "{not json").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "intents", "create", "--axon", axon, "--kind", "k", "--waiting-for", "human",
                "--deadline", "soon").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "intents", "resolve", "int_x", "--outcome", "expired").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "intents", "list", "--status", "asleep").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "intents", "show", "int_doesnotexist000000000000").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(Cli.run(server, "intents", "approve", "int_doesnotexist000000000000").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(Cli.run(server, "intents", "create", "--axon", "axn_doesnotexist", "--kind", "k", "--waiting-for", "human")
                .exit()).isEqualTo(ExitCode.NOT_FOUND);
    }
}
