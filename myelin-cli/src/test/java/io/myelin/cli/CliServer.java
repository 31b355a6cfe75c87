package io.myelin.cli;

import io.myelin.client.MyelinClient;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A real server in this JVM for the CLI tests, plus a way to run {@code myelin} commands in-process through the
 * real command tree ({@link Main#commandLine()}) with captured output. It can be stopped and started again on
 * the same port and data dir, to test resuming across a restart.
 */
final class CliServer implements AutoCloseable {
    static final String KEY = "cli-test-admin-key-0123456789abcdefgh";

    private final Path dataDir;
    private final Map<String, String> settings;
    private int port;
    private MyelinServer server;

    CliServer(Map<String, String> settings) throws IOException {
        this.dataDir = Files.createTempDirectory("myelin-cli-test");
        this.settings = settings;
        start();
    }

    void start() {
        ConfigLoader loader = new ConfigLoader().flag("port", port).flag("data-dir", dataDir).flag("admin-key", KEY);
        settings.forEach(loader::flag);
        server = MyelinServer.start(loader.build());
        port = server.port(); // a restart reuses it
    }

    void stop() {
        server.close();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    MyelinClient client() {
        return MyelinClient.builder().baseUrl(url()).apiKey(KEY).build();
    }

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** Runs {@code myelin ARGS --server URL --api-key KEY} in-process. */
    Result run(String... args) {
        return run(new StringWriter(), args);
    }

    /**
     * Like {@link #run(String...)}, writing stderr into {@code err} as it goes, so a test can watch it while the
     * command runs ({@link StringWriter} is thread-safe).
     */
    Result run(StringWriter err, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--server", url(), "--api-key", KEY));
        return runRaw(err, all.toArray(String[]::new));
    }

    /** Runs {@code myelin ARGS} exactly as given. */
    static Result runRaw(String... args) {
        return runRaw(new StringWriter(), args);
    }

    private static Result runRaw(StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir: best effort
        }
    }
}
