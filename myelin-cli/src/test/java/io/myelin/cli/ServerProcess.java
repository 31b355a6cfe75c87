package io.myelin.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code myelin.jar serve} in a child process, so tests can {@code kill -9} it and start it again on the
 * same port and data dir.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String KEY = "crash-test-admin-key-0123456789abcdef";

    private final Path dataDir;
    private final int port;
    private final Map<String, String> env;
    private Process process;

    public ServerProcess(Path dataDir, Map<String, String> env) throws IOException {
        this.dataDir = dataDir;
        this.env = env;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public static Path jar() {
        String p = System.getProperty("myelin.jar", "target/myelin.jar");
        Path jar = Path.of(p);
        if (!Files.exists(jar)) {
            throw new IllegalStateException("myelin.jar not built: " + jar.toAbsolutePath() + " (run `mvn package` first)");
        }
        return jar;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar",
                jar().toString(), "serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()));
        pb.environment().put("MYELIN_ADMIN_KEY", KEY);
        pb.environment().putAll(env);
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + dataDir + ".log");
            }
            try {
                var r = http.send(HttpRequest.newBuilder(uri().resolve("/readyz")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("server did not become ready within 60 s");
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
