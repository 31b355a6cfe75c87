package io.myelin.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM that a test can {@link #kill()} like a crash ({@code kill -9}) and {@link #start()}
 * again on the same port and data dir.
 */
final class ServerProcess implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private final List<String> settings;
    private final Path log;
    private Process process;

    ServerProcess(Path dataDir, List<String> settings) throws IOException {
        this.port = freePort();
        this.dataDir = dataDir;
        this.settings = settings;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the child and waits until it answers {@code /readyz}. */
    ServerProcess start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                ChildServerMain.class.getName(),
                Integer.toString(port), dataDir.toString(), LocalServer.ADMIN_KEY));
        cmd.addAll(settings);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady(Duration.ofSeconds(60));
        return this;
    }

    /** Kills the child without warning: no shutdown hook, no flush, like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("server exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("server not ready after " + timeout + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
