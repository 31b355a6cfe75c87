package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.client.MyelinClient;
import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import io.myelin.testkit.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client commands through the real {@code bin/myelin} launcher and the real jar, against the real jar's
 * server in another process, which is killed with SIGKILL and restarted while {@code tail --follow} and
 * {@code exec} are streaming. Runs after {@code package} (failsafe), when the jar is current.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a dozen JVMs start here (the launcher per command, the server twice)
class ClientLauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "myelin").toAbsolutePath().normalize();
    private static final Pattern SEQ = Pattern.compile("\"sequence\":(\\d+)");
    /** Commands block for their whole run: never on the common pool, which may have a single worker. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    record Run(int exit, String out, String err) {
    }

    private static Run run(ServerProcess server, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("MYELIN_URL", server.baseUrl());
        pb.environment().put("MYELIN_API_KEY", ServerProcess.ADMIN_KEY);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(9, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("myelin " + String.join(" ", args) + " did not finish; stderr: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<Long> sequences(String jsonLines) {
        List<Long> seqs = new ArrayList<>();
        Matcher m = SEQ.matcher(jsonLines);
        while (m.find()) {
            seqs.add(Long.parseLong(m.group(1)));
        }
        return seqs;
    }

    @Test
    void commandsThroughTheLauncherSurviveAServerCrash() throws Exception {
        Path work = TempDirs.create("myelin-launcher-it");
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m").start()) {
            Run created = run(server, work, "axons", "create", "--name", "launcher-it", "--quiet");
            assertThat(created.exit()).as(created.err()).isZero();
            String axon = created.out().strip();

            Run published = run(server, work, "publish", axon, "--type", "note", "--payload", "{\"text\":\"hi\"}");
            assertThat(published.out()).contains("published #1");

            // tail --follow in its own process; the server dies under it and comes back.
            CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(server, work, "tail", axon, "--after", "0", "--follow", "--count", "30", "--json");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, THREADS);
            try (MyelinClient client = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                         .maxRetries(Integer.MAX_VALUE).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
                 ScriptedAgent agent = new ScriptedAgent(client, ScriptedAgent.reply(
                         LongStream.range(0, 27).mapToObj(i -> "part-" + i).toArray(String[]::new)), 3).serve(axon)) {
                CompletableFuture<Run> exec = CompletableFuture.supplyAsync(() -> {
                    try {
                        return run(server, work, "exec", "--axon", axon, "--input", "go", "--timeout", "8m", "--json");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, THREADS);
                // Kill in the middle of the turn: exec's input (#2) and three steps of the reply (#3..#5) are in,
                // and the agent holds the rest until the server is back.
                Await.until("the turn is under way", Duration.ofMinutes(5),
                        () -> client.axon(axon).history(1, null).events().getFirst().sequence(), seq -> seq >= 5);
                server.kill9();
                server.start();
                agent.allow(100);

                Run e = Await.result("exec", Duration.ofMinutes(9), exec);
                assertThat(e.exit()).as(e.err()).isZero();
                // exec printed every agent event once: its own message is #2, the reply #3..#30.
                assertThat(sequences(e.out())).containsExactlyElementsOf(LongStream.rangeClosed(3, 30).boxed().toList());
                assertThat(e.out()).contains("\"last_sequence\":30");
            }
            Run t = Await.result("tail", Duration.ofMinutes(9), tail);
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(sequences(t.out())).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());

            Run resumed = run(server, work, "exec", "--axon", axon, "--resume", "--last-seq", "28", "--raw");
            assertThat(resumed.exit()).isZero();
            assertThat(resumed.out()).contains("#29  ", "#30  ", "turn.completed", "last-seq 30").doesNotContain("#28  ");
        } finally {
            TempDirs.deleteTree(work);
        }
    }

    @Test
    void execStoppedBySigtermSaysHowToResume() throws Exception {
        Path work = TempDirs.create("myelin-launcher-stop");
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx256m").start()) {
            Run created = run(server, work, "axons", "create", "--name", "stopped", "--quiet");
            String axon = created.out().strip();
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "exec", "--axon", axon, "--input", "hi")
                    .directory(work.toFile());
            pb.environment().put("MYELIN_URL", server.baseUrl());
            pb.environment().put("MYELIN_API_KEY", ServerProcess.ADMIN_KEY);
            Path out = Files.createTempFile(work, "out", ".txt");
            Path err = Files.createTempFile(work, "err", ".txt");
            Process exec = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                // nothing serves the axon: exec waits for a turn that never comes, until it is stopped
                Await.until("exec sent its input", Duration.ofMinutes(5), () -> Files.readString(out).contains("sent #1"));
                exec.destroy(); // SIGTERM
                assertThat(exec.waitFor(2, TimeUnit.MINUTES)).as("exec ends on SIGTERM").isTrue();
                assertThat(Files.readString(err)).contains("myelin: stopped following; the turn goes on",
                        "--type turn.cancel", "resume with: myelin exec --axon " + axon + " --resume --last-seq 1");
            } finally {
                exec.destroyForcibly();
            }
        }
    }
}
