package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.myelin.cli.broker.TestAgents;
import io.myelin.client.AxonEvent;
import io.myelin.client.Devbox;
import io.myelin.client.DevboxStatus;
import io.myelin.client.MyelinClient;
import io.myelin.client.NotFoundException;
import io.myelin.client.TurnEvent;
import io.myelin.client.TurnEvents;
import io.myelin.testkit.Await;
import io.myelin.testkit.TestServer;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code myelin exec --agent} against a real server whose operator configured the real test agents
 * ({@link TestAgents#binaries()}): the devbox, the broker, the agent's turn printed readably, and the permission
 * requests answered with the very command {@code exec} prints for them.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ExecAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Commands block for their whole run: never on the common pool, which may have a single worker. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    static TestServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("agents.binaries", TestAgents.binaries(), "devboxes.stop-timeout", "2s"));
        client = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    /** Runs {@code exec ARGS} in the background; its output grows in {@code out} while it runs. */
    private static CompletableFuture<Cli.Result> exec(StringWriter out, String... args) {
        return CompletableFuture.supplyAsync(() -> Cli.run(server, out, new StringWriter(), args), THREADS);
    }

    /** Waits until {@code out} has a line starting with {@code prefix} (after trimming) and returns it. */
    private static String awaitLine(StringWriter out, String prefix, CompletableFuture<Cli.Result> run) {
        await().atMost(WAIT).failFast("exec ended first", run::isDone)
                .until(() -> out.toString().lines().anyMatch(l -> l.strip().startsWith(prefix)));
        return out.toString().lines().map(String::strip).filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    /** Runs a {@code myelin publish AXON --type T --payload 'JSON'} line exactly as {@code exec} printed it. */
    private static void runPrinted(String line) {
        String command = line.substring(line.indexOf("myelin publish "));
        String[] words = command.substring(0, command.indexOf(" --payload ")).split(" ");
        String quoted = command.substring(command.indexOf(" --payload ") + " --payload ".length());
        assertThat(quoted).startsWith("'").endsWith("'");
        String payload = quoted.substring(1, quoted.length() - 1).replace("'\\''", "'");
        Cli.Result r = Cli.run(server, words[1], words[2], words[3], words[4], "--payload", payload);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void acpAgentTurnsReadablyThenAFollowUpTurnOnTheSameAgentIsCancelled() {
        String axon = client.axons().create("exec-acp", Map.of()).id();
        StringWriter out = new StringWriter();
        CompletableFuture<Cli.Result> run = exec(out, "exec", "--agent", "acp-example", "--axon", axon,
                "--input", "tidy up the project", "--timeout", "120s");
        runPrinted(awaitLine(out, "answer: myelin publish", run));
        Cli.Result r = Await.result("exec --agent", WAIT, run);

        assertThat(r.exit()).as(r.err()).isZero();
        String devboxId = r.lines().stream().filter(l -> l.startsWith("devbox ")).findFirst().orElseThrow().substring(7);
        assertThat(r.lines()).containsSubsequence(
                "devbox " + devboxId,
                "I'll help you with that. Let me start by reading some files to understand the current situation.",
                "[tool] Reading project files (read) pending",
                "[tool] Reading project files completed",
                "[tool] Modifying critical configuration file (edit) pending",
                "[permission] Modifying critical configuration file; options: allow (Allow this change), reject (Skip this change)",
                "  answer: myelin publish " + axon + " --type session/request_permission --payload"
                        + " '{\"outcome\":{\"outcome\":\"selected\",\"optionId\":\"allow\"}}'",
                "[tool] Modifying critical configuration file completed",
                "Perfect! I've successfully updated the configuration. The changes have been applied.",
                "[turn completed: end_turn]",
                "continue: myelin exec --axon " + axon + " --input TEXT");
        assertThat(r.out()).as("text is ended before a tool line, and resumes on a line of its own")
                .contains("understand the current situation.\n[tool] Reading project files (read) pending\n")
                .contains("completed\nNow I understand the project structure. I need to make some changes to improve it.\n[tool]");
        assertThat(r.lines().getLast()).startsWith("last-seq ");
        assertThat(r.out()).as("the permission request's intent, and the commands that answer through it")
                .containsPattern("\n  or: +myelin intents approve (int_\\w+) +\\(myelin intents reject \\1\\)\n");

        // The client's typed view of the same turn, read from the axon (the broker prompted the agent itself for the
        // plain message, so the agent's answer to session/prompt is not on the axon: the broker's end says it).
        List<Class<?>> kinds = client.axon(axon).history()
                .sorted(java.util.Comparator.comparingLong(AxonEvent::sequence))
                .flatMap(e -> TurnEvents.of(e).stream()).<Class<?>>map(Object::getClass).distinct().toList();
        assertThat(kinds).containsSubsequence(TurnEvent.DevboxLifecycle.class, TurnEvent.TurnStarted.class,
                TurnEvent.AgentText.class, TurnEvent.ToolCall.class, TurnEvent.ToolCallUpdate.class,
                TurnEvent.PermissionRequest.class, TurnEvent.TurnCompleted.class);

        // A follow-up turn on the same agent, without --agent, cancelled while the agent waits for its permission.
        StringWriter again = new StringWriter();
        CompletableFuture<Cli.Result> followUp = exec(again, "exec", "--axon", axon, "--input", "once more", "--timeout", "120s");
        awaitLine(again, "answer: myelin publish", followUp);
        assertThat(Cli.run(server, "publish", axon, "--type", "turn.cancel", "--payload", "{}").exit()).isZero();
        Cli.Result cancelled = Await.result("exec follow-up", WAIT, followUp);
        assertThat(cancelled.exit()).as(cancelled.err()).isEqualTo(ExitCode.TURN_CANCELLED);
        assertThat(cancelled.lines()).contains("[turn cancelled]").noneMatch(l -> l.startsWith("devbox "));
        assertThat(client.devboxes().list().stream().filter(d -> d.metadata().get("axon_id") != null
                && d.metadata().get("axon_id").equals(axon))).as("one devbox served both turns").hasSize(1);

        assertThat(Cli.run(server, "devboxes", "shutdown", devboxId).exit()).isZero();
    }

    @Test
    void claudeAgentOnANewAxonAsksForAToolAndIsShutDownAfterTheTurn() {
        StringWriter out = new StringWriter();
        CompletableFuture<Cli.Result> run = exec(out, "exec", "--agent", "fake-claude", "--protocol", "claude_json",
                "--input", "show the notes [tool]", "--shutdown", "--timeout", "120s");
        runPrinted(awaitLine(out, "allow: myelin publish", run));
        Cli.Result r = Await.result("exec --agent fake-claude", WAIT, run);

        assertThat(r.exit()).as(r.err()).isZero();
        String axon = r.lines().getFirst().substring("axon ".length());
        String devboxId = r.lines().get(1).substring("devbox ".length());
        assertThat(r.lines()).containsSubsequence(
                "Echo: show the notes [tool]",
                "Earlier prompts in this session: 0",
                "[tool] Bash {\"command\":\"cat notes.txt\",\"description\":\"Show notes.txt\"}",
                "[permission] Bash {\"command\":\"cat notes.txt\",\"description\":\"Show notes.txt\"}",
                "The Bash tool was allowed and printed: ran: cat notes.txt",
                "[result] success",
                "[turn completed: end_turn]",
                "shut down " + devboxId);
        assertThat(r.out()).contains("  deny:  myelin publish " + axon + " --type control_response");
        Devbox d = client.devboxes().get(devboxId);
        assertThat(d.status()).isEqualTo(DevboxStatus.SHUTDOWN);
        assertThat(d.metadata()).containsEntry("axon_id", axon).containsEntry("created_by", "myelin exec");
    }

    @Test
    void anAgentTheOperatorDidNotConfigureIsRefusedBeforeAnythingIsSent() {
        String axon = client.axons().create("exec-refused", Map.of()).id();
        Cli.Result r = Cli.run(server, "exec", "--agent", "opencode", "--axon", axon, "--input", "hi");
        assertThat(r.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err()).contains("agent_binary");
        assertThat(client.axon(axon).history()).as("nothing was published").isEmpty();

        Cli.Result fresh = Cli.run(server, "exec", "--agent", "opencode", "--input", "hi");
        assertThat(fresh.exit()).isEqualTo(ExitCode.REJECTED);
        String made = fresh.lines().getFirst().substring("axon ".length());
        assertThatThrownBy(() -> client.axons().get(made)).as("the axon made for the refused agent is gone")
                .isInstanceOf(NotFoundException.class);

        assertThat(Cli.run(server, "exec", "--shutdown", "--input", "x").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(server, "exec", "--agent", "acp-example", "--axon", axon, "--resume").exit())
                .isEqualTo(ExitCode.USAGE);
    }
}
