package io.myelin.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Myelin server in a child JVM, for what only another process can show: {@link #kill9() kill -9} (no
 * shutdown hook, no flush, like a power cut at the process level) and a {@link #start() restart} on the same port
 * and data dir. Either the runnable jar ({@link #ofJar}, {@code java -jar myelin.jar serve}) or the test's own
 * classpath ({@link #onClasspath}, through {@link ChildServerMain}), with the same flags.
 *
 * <p>Start-up is synchronised on what the child says, never on time: the first start listens on port 0 and the
 * port is read from the child's {@code listening on http://...} line; then {@code /readyz} is polled until it
 * answers 200 or the deadline passes (the failure quotes the end of the child's log). A restart reuses the port.
 * The child's output goes to {@link #log()}. The child sees no {@code MYELIN_*} variable of the test's
 * environment, only the admin key, so a developer's shell cannot change a test.
 *
 * <p>Not thread-safe: one test thread drives it; the HTTP side can be used from any thread.
 */
public final class ServerProcess implements AutoCloseable {
    /** The admin key of every child server. */
    public static final String ADMIN_KEY = TestServer.ADMIN_KEY;

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^\\s:]+:(\\d+)");
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final int EXITED = -1;
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(30);

    private final List<String> launcher;
    private final Path dataDir;
    private final Path workDir;
    private final Path log;
    private final Map<String, String> settings;
    private final Duration readyDeadline;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int port;

    private ServerProcess(Builder b) {
        this.launcher = List.copyOf(b.launcher);
        this.workDir = b.dataDir == null ? TempDirs.create("myelin-process") : null;
        this.dataDir = b.dataDir == null ? workDir.resolve("data") : b.dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.settings = Map.copyOf(b.settings);
        this.readyDeadline = b.readyDeadline;
    }

    /** {@code java -jar jar serve ...}: the real artifact users run. */
    public static Builder ofJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar.toAbsolutePath() + " (run `mvn package` first)");
        }
        return new Builder(List.of("-jar", jar.toString(), "serve"));
    }

    /** {@code java -cp <this JVM's classpath> io.myelin.testkit.ChildServerMain ...}: no jar needed. */
    public static Builder onClasspath() {
        return new Builder(List.of("-cp", System.getProperty("java.class.path"), ChildServerMain.class.getName()));
    }

    /** The runnable jar named by system property {@code myelin.jar} (the CLI module's failsafe sets it). */
    public static Path myelinJar() {
        return Path.of(System.getProperty("myelin.jar", "target/myelin.jar"));
    }

    /**
     * Starts the child (again, after {@link #kill9()} or {@link #stop()}: same port, same data dir) and waits until
     * it is ready.
     *
     * @throws AssertionError if the child exits or is not ready within the deadline
     */
    public ServerProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running: " + baseUrl());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(launcher);
        cmd.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("MYELIN_"));
        pb.environment().put("MYELIN_ADMIN_KEY", ADMIN_KEY);
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd + ": " + e.getMessage(), e);
        }
        Process child = process;
        Thread.ofVirtual().name("server-process-output-" + child.pid()).start(() -> copyOutput(child, listening));
        if (port == 0) {
            int announced = Await.result("the child server says which port it listens on (log " + log + ")",
                    readyDeadline, listening);
            if (announced <= 0) {
                awaitExit();
                throw new AssertionError("the child server exited before listening (exit " + exitValue() + "):\n"
                        + logTail());
            }
            port = announced;
        }
        awaitReady();
        return this;
    }

    private void awaitReady() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest readyz = HttpRequest.newBuilder(uri("/readyz")).timeout(Duration.ofSeconds(10)).build();
            Await.until("the child server answers /readyz with 200 (log " + log + ")", readyDeadline, () -> {
                if (!process.isAlive()) {
                    return EXITED; // stop waiting: a dead child will not become ready
                }
                return http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode();
            }, status -> status == 200 || status == EXITED);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logTail(), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the child server exited (exit " + process.exitValue() + "):\n" + logTail());
        }
    }

    /** Copies the child's output to the log, and completes {@code listening} with the port it announces. */
    private void copyOutput(Process child, CompletableFuture<Integer> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the child is gone; what it wrote is in the log
        } finally {
            listening.complete(-1);
        }
    }

    /** SIGKILL, then waits for the child to be gone. Its port and data dir stay for {@link #start()}. */
    public void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM (the server's shutdown hook closes it gracefully), then waits for the child to be gone. */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child server did not exit within " + STOP_DEADLINE + ":\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while waiting for the child server to exit", e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private String exitValue() {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash; known once the first {@link #start()} returned. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public int port() {
        return port;
    }

    /**
     * {@code POST path} with a JSON body, as the admin; the answer whatever its status. Any thread.
     *
     * @throws IOException when the server does not answer within 30 s or the connection fails (a killed child)
     */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_DEADLINE)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} as the admin; the answer whatever its status. Any thread; fails as {@link #post}. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_DEADLINE)
                .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    public Path dataDir() {
        return dataDir;
    }

    public String adminKey() {
        return ADMIN_KEY;
    }

    /** The child's output (stdout and stderr) across all its starts. */
    public Path log() {
        return log;
    }

    /** The last lines of {@link #log()}, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the child if it runs (SIGTERM, then SIGKILL), and deletes the data dir and log if this created them. */
    @Override
    public void close() {
        try {
            if (isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(STOP_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)) {
                        process.destroyForcibly().waitFor(STOP_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        } finally {
            http.close();
            if (workDir != null) {
                TempDirs.deleteTree(workDir);
            }
        }
    }

    @Override
    public String toString() {
        return "ServerProcess[" + baseUrl() + ", data dir " + dataDir + ", log " + log + "]";
    }

    /** What to start; {@link #start()} starts it. */
    public static final class Builder {
        private final List<String> launcher;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path dataDir;
        private Duration readyDeadline = Duration.ofSeconds(120);

        private Builder(List<String> launcher) {
            this.launcher = new ArrayList<>(launcher);
        }

        /** Serve {@code dir} (kept on close; the log is written next to it). Default: a fresh temp dir, deleted on close. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** One config override, as {@code --set key=value}. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder settings(Map<String, String> overrides) {
            settings.putAll(overrides);
            return this;
        }

        /** Options for the child JVM, e.g. {@code -Xmx512m}; they go before {@code -jar}/{@code -cp}. */
        public Builder jvmOptions(String... options) {
            launcher.addAll(0, List.of(options));
            return this;
        }

        /** How long one start may take until {@code /readyz} answers 200 (default 120 s: a loaded machine is slow). */
        public Builder readyDeadline(Duration deadline) {
            this.readyDeadline = deadline;
            return this;
        }

        /** The process, not started yet. */
        public ServerProcess build() {
            return new ServerProcess(this);
        }

        /** Builds and {@link ServerProcess#start() starts} the process. */
        public ServerProcess start() {
            ServerProcess p = build();
            try {
                return p.start();
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }
    }
}
