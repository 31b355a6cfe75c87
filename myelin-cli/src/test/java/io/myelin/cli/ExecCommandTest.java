package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code myelin exec} and {@code myelin tail --follow} against a real server, with a scripted agent. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@WithMyelinServer
class ExecCommandTest {
    private static final Pattern EVENT_LINE = Pattern.compile("^#(\\d+)  ");
    /** Commands block for their whole run: never on the common pool, which may have a single worker. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @InjectServer
    static TestServer server;
    static MyelinClient agentClient;

    @BeforeAll
    static void start() {
        // The agent's publishes wait out the restarts these tests cause.
        agentClient = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                .maxRetries(Integer.MAX_VALUE).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
    }

    @AfterAll
    static void stop() {
        agentClient.close();
    }

    private static long head(String axon) {
        return agentClient.axon(axon).history(1, null).events().getFirst().sequence();
    }

    private static List<Long> sequences(String out) {
        List<Long> seqs = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = EVENT_LINE.matcher(line);
            if (m.find()) {
                seqs.add(Long.parseLong(m.group(1)));
            }
        }
        return seqs;
    }

    private static long lastSeq(String out) {
        String line = out.lines().filter(l -> l.startsWith("last-seq ")).reduce((a, b) -> b).orElseThrow();
        return Long.parseLong(line.substring("last-seq ".length()));
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void execCreatesASessionSendsTheInputAndStreamsTheTurn() {
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, ScriptedAgent.reply("Hel", "lo!"))
                .serveNewExecAxons()) {
            Cli.Result r = Cli.run(server, "exec", "--input", "Hello agents!", "--timeout", "60s", "--raw");
            assertThat(r.exit()).as(r.err()).isZero();
            List<String> lines = r.lines();
            assertThat(lines.get(0)).startsWith("axon ");
            assertThat(lines.get(1)).isEqualTo("sent #1");
            assertThat(sequences(r.out())).containsExactly(2L, 3L, 4L);
            assertThat(lines.get(2)).contains("AGENT_EVENT  agent  message.delta  {\"text\":\"Hel\"}");
            assertThat(lines.get(4)).contains("turn.completed");
            assertThat(lines.getLast()).isEqualTo("last-seq 4");

            String axonId = lines.get(0).substring("axon ".length());
            String firstMessage = Cli.run(server, "events", axonId, "--json", "--limit", "0").lines().getLast();
            JsonNode msg = CliJson.tryParse(firstMessage);
            assertThat(msg.get("origin").asText()).isEqualTo("USER_EVENT");
            assertThat(msg.get("event_type").asText()).isEqualTo("message");
            assertThat(CliJson.tryParse(msg.get("payload").asText()).get("text").asText()).isEqualTo("Hello agents!");
        }
    }

    @Test
    void execJsonPrintsOnlyJsonLines() {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, ScriptedAgent.reply("ok")).serve(axon)) {
            Cli.Result r = Cli.run(server, "exec", "--axon", axon, "--input", "hi", "--json");
            assertThat(r.exit()).isZero();
            List<JsonNode> json = r.lines().stream().map(CliJson::tryParse).toList();
            assertThat(json).doesNotContainNull();
            assertThat(json.stream().filter(n -> n.has("sequence")).map(n -> n.get("event_type").asText()))
                    .containsExactly("message.delta", "turn.completed");
            assertThat(json.getLast().get("last_sequence").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aClientThatLostItsConnectionResumesWithoutLosingOrRepeatingOutput() {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, ScriptedAgent.reply("a", "b", "c", "d", "e", "f"), 3)
                .serve(axon)) {
            // The first client goes away mid-turn (here: its timeout, while the agent holds the rest of the turn),
            // after printing part of the reply.
            Cli.Result first = Cli.run(server, "exec", "--axon", axon, "--input", "go", "--timeout", "3s", "--raw");
            assertThat(first.exit()).isEqualTo(ExitCode.TIMEOUT);
            assertThat(first.err()).contains("--resume --last-seq");
            long seen = lastSeq(first.out());
            assertThat(sequences(first.out())).isEqualTo(range(2, seen));
            assertThat(seen).isLessThan(8);

            agent.allow(100);
            Cli.Result resumed = Cli.run(server, "exec", "--axon", axon, "--resume", "--last-seq", Long.toString(seen), "--raw");
            assertThat(resumed.exit()).isZero();
            assertThat(sequences(resumed.out())).isEqualTo(range(seen + 1, 8));
            assertThat(lastSeq(resumed.out())).isEqualTo(8);

            // Without --last-seq, --resume replays the turn since the last user message.
            Cli.Result replay = Cli.run(server, "exec", "--axon", axon, "--resume", "--raw");
            assertThat(sequences(replay.out())).isEqualTo(range(2, 8));
        }
    }

    @Test
    void aFailedTurnExitsWithItsOwnStatusAndUntilOverridesTheEnd() {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        List<ScriptedAgent.Step> failing = List.of(new ScriptedAgent.Step("tool.call", "{}"),
                new ScriptedAgent.Step("turn.failed", "{\"error\":\"boom\"}"));
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, failing).serve(axon)) {
            Cli.Result r = Cli.run(server, "exec", "--axon", axon, "--input", "x");
            assertThat(r.exit()).isEqualTo(ExitCode.TURN_FAILED);
            assertThat(r.out()).contains("[turn failed: boom]", "(1 event not shown; --raw shows every event)");

            Cli.Result until = Cli.run(server, "exec", "--axon", axon, "--resume", "--until", "tool.call", "--raw");
            assertThat(until.exit()).isZero();
            assertThat(sequences(until.out())).containsExactly(2L);
        }
    }

    @Test
    void aCancelledTurnIsACompletedTurnWithItsOwnStatus() {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        List<ScriptedAgent.Step> cancelled = List.of(new ScriptedAgent.Step("message.delta", "{\"text\":\"par\"}"),
                new ScriptedAgent.Step("turn.completed", "{\"turn_id\":\"turn_1\",\"stop_reason\":\"cancelled\"}"));
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, cancelled).serve(axon)) {
            Cli.Result r = Cli.run(server, "exec", "--axon", axon, "--input", "x");
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.TURN_CANCELLED);
            assertThat(r.lines()).containsSubsequence("sent #1", "[turn cancelled]", "last-seq 3");
        }
    }

    @Test
    void execAndTailKeepStreamingAcrossAServerRestart() throws Exception {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        String[] deltas = new String[12];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = "part-" + i;
        }
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, ScriptedAgent.reply(deltas), 3).serve(axon)) {
            CompletableFuture<Cli.Result> exec = CompletableFuture.supplyAsync(
                    () -> Cli.run(server, "exec", "--axon", axon, "--input", "long job", "--timeout", "90s", "--raw"), THREADS);
            CompletableFuture<Cli.Result> tail = CompletableFuture.supplyAsync(
                    () -> Cli.run(server, "tail", axon, "--after", "0", "--follow", "--count", "14"), THREADS);
            // Restart in the middle of the turn: the input (#1) and three steps of the reply are in.
            Await.until("the turn is under way", Duration.ofSeconds(60), () -> head(axon), h -> h >= 4);
            server.stop(); // every stream drops
            server.restart(); // same port, same data dir
            agent.allow(100);

            Cli.Result e = Await.result("exec", Duration.ofSeconds(120), exec);
            assertThat(e.exit()).as(e.err()).isZero();
            assertThat(sequences(e.out())).isEqualTo(range(2, 14));
            Cli.Result t = Await.result("tail", Duration.ofSeconds(120), tail);
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(sequences(t.out())).isEqualTo(range(1, 14));
        }
    }

    @Test
    void execAndTailStartedWhileTheServerIsDownWaitForItToComeUp() throws Exception {
        String axon = Cli.run(server, "axons", "create", "-q").out().strip();
        try (ScriptedAgent agent = new ScriptedAgent(agentClient, ScriptedAgent.reply("back")).serve(axon)) {
            server.stop(); // e.g. a restart: nothing listens on the port
            StringWriter execErr = new StringWriter();
            StringWriter tailErr = new StringWriter();
            CompletableFuture<Cli.Result> exec = CompletableFuture.supplyAsync(
                    () -> Cli.run(server, execErr, "exec", "--axon", axon, "--input", "are you there?", "--timeout", "120s", "--raw"), THREADS);
            CompletableFuture<Cli.Result> tail = CompletableFuture.supplyAsync(
                    () -> Cli.run(server, tailErr, "tail", axon, "--after", "0", "--follow", "--count", "3"), THREADS);
            // Both have met the closed port and are waiting, not failed.
            await().atMost(Duration.ofSeconds(60))
                    .failFast("exec or tail ended instead of waiting", () -> exec.isDone() || tail.isDone())
                    .until(() ->
                    execErr.toString().contains("waiting for the server") && tailErr.toString().contains("waiting for the server"));
            assertThat(exec).isNotDone();
            assertThat(tail).isNotDone();
            assertThat(execErr.toString()).contains("connection refused", "until --timeout 120s passes");
            server.restart();

            Cli.Result e = exec.get(150, TimeUnit.SECONDS);
            assertThat(e.exit()).as(e.err()).isZero();
            assertThat(e.lines()).startsWith("sent #1").endsWith("last-seq 3");
            assertThat(sequences(e.out())).isEqualTo(range(2, 3));
            Cli.Result t = tail.get(150, TimeUnit.SECONDS);
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(sequences(t.out())).isEqualTo(range(1, 3));
        }
    }

    @Test
    void withoutATimeoutExecGivesUpOnAnUnreachableServerAfterTheClientsRetries() {
        Cli.Result r = Cli.runRaw("exec", "--input", "x", "--server", "http://127.0.0.1:1", "--api-key", "k");
        assertThat(r.exit()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("myelin: cannot reach http://127.0.0.1:1").contains("after 3 attempts");
    }
}
