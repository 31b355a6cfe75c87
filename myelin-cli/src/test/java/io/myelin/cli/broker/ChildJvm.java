package io.myelin.cli.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM a crash test can {@code kill -9} and start again with the same command line. */
final class ChildJvm implements AutoCloseable {
    private final List<String> command;
    private final Path log;
    private Process process;

    private ChildJvm(List<String> command, Path log) {
        this.command = command;
        this.log = log;
    }

    /** {@code java -cp <this test's classpath> MAIN ARGS...}. */
    static ChildJvm main(Class<?> main, Path log, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return new ChildJvm(cmd, log);
    }

    /** {@code java -jar myelin.jar ARGS...}: the real command line. */
    static ChildJvm myelin(Path log, List<String> args) {
        Path jar = Path.of(System.getProperty("myelin.jar", "target/myelin.jar"));
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-jar", jar.toString()));
        cmd.addAll(args);
        return new ChildJvm(cmd, log);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    ChildJvm start() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
