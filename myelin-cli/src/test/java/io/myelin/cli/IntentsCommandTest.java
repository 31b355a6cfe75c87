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
        assertThat(Cli.runRaw("--help").out()).contains("intents", "inbox",
                "Create, list, show, wait for, resolve and cancel intents.");
        assertThat(Cli.runRaw("intents", "--help").out()).contains("Show one intent, or wait for it to end first.",
                "Approve a waiting intent.");
        for (String[] help : List.<String[]>of(new String[] {"inbox", "--help"}, new String[] {"intents", "approve", "--help"},
                new String[] {"intents", "reject", "--help"})) {
            assertThat(Cli.runRaw(help).out().replaceAll("\\s+", " ")).as(String.join(" ", help))
                    .contains("approve picks the agent's first allow option", "-r '{\"option_id\":\"ID\"}'");
        }
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
        assertThat(late.err().strip()).as("one sentence, with an ISO time")
                .matches("myelin: intent " + id + " is no longer waiting: it is completed, approved by key_\\w+ at "
                        + "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\.");
        assertThat(Cli.run(server, "intents", "cancel", id).exit()).isEqualTo(ExitCode.REJECTED);
        Cli.Result empty = Cli.run(server, "inbox", "--assignee", who);
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("no intents waiting for a person");
    }

    @Test
    void aRelativeDeadlineMakesARepeatedCreateTheSameRequest() {
        String axon = newAxon();
        String[] args = {"--kind", "refund.approval", "--waiting-for", "human", "--deadline", "10m",
            "--idempotency-key", "k-" + UUID.randomUUID()};
        String first = create(axon, args);
        assertThat(create(axon, args)).as("the same command with the same key: the original intent").isEqualTo(first);
        JsonNode j = CliJson.tryParse(Cli.run(server, "intents", "show", first, "--json").out().strip());
        assertThat(j.get("deadline_ms").asLong()).isEqualTo(j.get("created_at_ms").asLong() + 600_000L);

        String[] timer = {"--kind", "wake", "--waiting-for", "time", "--fire", "5m", "--idempotency-key", "t-" + UUID.randomUUID()};
        String wake = create(axon, timer);
        assertThat(create(axon, timer)).isEqualTo(wake);
        JsonNode w = CliJson.tryParse(Cli.run(server, "intents", "show", wake, "--json").out().strip());
        assertThat(w.get("fire_at_ms").asLong()).isEqualTo(w.get("created_at_ms").asLong() + 300_000L);
    }

    @Test
    void jsonKeepsEveryFieldOfTheWireIncludingNulls() {
        String axon = newAxon();
        String who = "json-" + UUID.randomUUID();
        Cli.Result created = Cli.run(server, "intents", "create", "--axon", axon, "--kind", "k", "--waiting-for", "human",
                "--assignee", who, "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonNode c = CliJson.tryParse(created.out().strip());
        List<String> fields = List.of("title", "payload", "fire_at_ms", "deadline_ms", "remind_every_ms",
                "next_remind_at_ms", "escalate_to", "resolved_at_ms", "resolution");
        for (String f : fields) {
            assertThat(c.has(f)).as("create --json has %s", f).isTrue();
            assertThat(c.get(f).isNull()).as(f).isTrue();
        }
        String id = c.get("id").asText();
        for (Cli.Result r : List.of(Cli.run(server, "intents", "show", id, "--json"),
                Cli.run(server, "intents", "list", "--axon", axon, "--json"), Cli.run(server, "inbox", "--assignee", who, "--json"))) {
            JsonNode j = CliJson.tryParse(r.out().strip());
            assertThat(j.get("id").asText()).isEqualTo(id);
            assertThat(fields).allSatisfy(f -> assertThat(j.has(f)).as(f).isTrue());
        }
        JsonNode cancelled = CliJson.tryParse(Cli.run(server, "intents", "cancel", id, "--json").out().strip());
        assertThat(cancelled.get("resolution").has("resolved_by_user")).isTrue();
        assertThat(cancelled.get("resolution").get("result").isNull()).isTrue();
    }

    @Test
    void theUserOptionIsRecordedAsTheResolvingUser() {
        String id = create(newAxon(), "--kind", "k", "--waiting-for", "human");
        Cli.Result approved = Cli.run(server, "intents", "approve", id, "--user", "alice@example.com");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(approved.out()).containsPattern("outcome +approved by key_\\w+ for alice@example.com at ");
        JsonNode j = CliJson.tryParse(Cli.run(server, "intents", "show", id, "--json").out().strip());
        assertThat(j.get("resolution").get("resolved_by_user").asText()).isEqualTo("alice@example.com");
        Cli.Result late = Cli.run(server, "intents", "reject", id);
        assertThat(late.err()).contains("approved by key_", " for alice@example.com at ");
        assertThat(Cli.run(server, "intents", "show", id, "--user", "alice smith").exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void afterAnEscalationTheDeadlineExpires() {
        String id = create(newAxon(), "--kind", "k", "--waiting-for", "human", "--deadline", "300ms",
                "--on-deadline", "escalate", "--escalate-to", "boss");
        Cli.Result ended = Cli.run(server, "intents", "show", id, "--wait", "60s");
        assertThat(ended.exit()).as(ended.err()).isZero();
        assertThat(ended.out()).contains("status       expired", "assignee     boss", "(then expire)", "escalated    1 time")
                .doesNotContain("(then escalate");
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
