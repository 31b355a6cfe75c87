package io.myelin.cli;

import io.myelin.testkit.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code myelin} commands in this JVM through the real command tree ({@link Main#commandLine()}) with captured
 * output, against a test server (see {@code io.myelin.testkit}).
 */
final class Cli {
    private Cli() {
    }

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** Runs {@code myelin ARGS --server URL --api-key KEY} against {@code server}. */
    static Result run(TestServer server, String... args) {
        return run(server, new StringWriter(), args);
    }

    /**
     * Like {@link #run(TestServer, String...)}, writing stderr into {@code err} as it goes, so a test can watch it
     * while the command runs ({@link StringWriter} is thread-safe).
     */
    static Result run(TestServer server, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--server", server.baseUrl(), "--api-key", server.adminKey()));
        return runRaw(err, all.toArray(String[]::new));
    }

    /**
     * Like {@link #run(TestServer, StringWriter, String...)}, writing stdout into {@code out} as it goes too, so a
     * test can act on what the command printed while it still runs.
     */
    static Result run(TestServer server, StringWriter out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--server", server.baseUrl(), "--api-key", server.adminKey()));
        return runRaw(out, err, all.toArray(String[]::new));
    }

    /** Runs {@code myelin ARGS} exactly as given. */
    static Result runRaw(String... args) {
        return runRaw(new StringWriter(), args);
    }

    private static Result runRaw(StringWriter err, String... args) {
        return runRaw(new StringWriter(), err, args);
    }

    private static Result runRaw(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
