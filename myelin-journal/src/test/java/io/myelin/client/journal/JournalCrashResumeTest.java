package io.myelin.client.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume, on every backend that can survive a crash (the in-memory one cannot: its journal dies with the
 * process): {@link SixSteps} runs in a child JVM, is killed with SIGKILL once it reports step 3 done, and runs
 * again. Steps 1-3 come from the journal (the counter file shows their bodies ran once, and their values are the
 * first run's); steps 4-6 run once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@WithMyelinServer
class JournalCrashResumeTest {
    @InjectServer
    static TestServer server;
    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        crashAndResume("sqlite", dir.resolve("journal.db").toString());
    }

    @Test
    void postgres() throws Exception {
        String prefix = "journal_crash_" + Long.toHexString(System.nanoTime());
        try {
            crashAndResume("postgres", prefix);
        } finally {
            try (Connection c = DriverManager.getConnection(PostgresJournalTest.URL, "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + prefix + "_steps, " + prefix + "_chunks");
            }
        }
    }

    @Test
    void remote() throws Exception {
        String axon = server.createAxon("journal-crash");
        crashAndResume("remote", server.baseUrl() + "," + server.adminKey() + "," + axon);
    }

    private void crashAndResume(String backend, String target) throws Exception {
        Path counter = dir.resolve("counter-" + backend);
        Process first = start(backend, target, counter, 3);
        BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        Map<Integer, String> before = new TreeMap<>();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> readUntilReady(out, before));
        Await.result("the first run to report step 3 done", Duration.ofSeconds(120), ready);
        first.destroyForcibly(); // SIGKILL
        Await.result("the killed run to end", Duration.ofSeconds(60), first.onExit());
        assertThat(Files.readAllLines(counter)).containsExactly("step 1", "step 2", "step 3");
        assertThat(before).containsOnlyKeys(1, 2, 3);

        Process second = start(backend, target, counter, 0);
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> second.inputReader(
                StandardCharsets.UTF_8).lines().toList());
        List<String> output = Await.result("the second run's output", Duration.ofSeconds(120), lines);
        assertThat(Await.result("the second run to end", Duration.ofSeconds(60), second.onExit()).exitValue())
                .as(String.join("\n", output)).isZero();
        Map<Integer, String> after = new TreeMap<>();
        output.forEach(l -> done(l, after));
        assertThat(after).containsOnlyKeys(1, 2, 3, 4, 5, 6);
        for (int step = 1; step <= 3; step++) {
            assertThat(after.get(step)).as("step %d replays the first run's value", step).isEqualTo(before.get(step));
        }
        assertThat(Files.readAllLines(counter)).as("every body ran once")
                .containsExactly("step 1", "step 2", "step 3", "step 4", "step 5", "step 6");
    }

    private Process start(String backend, String target, Path counter, int stopAfter) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), SixSteps.class.getName(), backend, target,
                counter.toString(), Integer.toString(stopAfter)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void readUntilReady(BufferedReader out, Map<Integer, String> done) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("ready")) {
                    return;
                }
                done(line, done);
            }
            throw new IllegalStateException("the first run ended before it was ready");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void done(String line, Map<Integer, String> done) {
        if (line.startsWith("done ")) {
            String[] parts = line.split(" ", 3);
            done.put(Integer.parseInt(parts[1]), parts[2]);
        }
    }
}
