package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as separate processes, the way users run them: the real {@code bin/myelin} launcher (when the
 * runnable jar is built and current, so the launcher does not start a build), and the main class on the test
 * classpath for behaviour that depends on the process environment and working directory.
 */
@WithMyelinServer
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "myelin").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "myelin.jar").toAbsolutePath();

    @InjectServer
    static TestServer server;

    record Run(int exit, String output) {
    }

    private static Run run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("MYELIN_URL");
        pb.environment().remove("MYELIN_API_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static List<String> mainOnClasspath(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.myelin.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theLocalAdminKeyIsPickedUpFromTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("MYELIN_URL", server.baseUrl());
        Run without = run(dir, env, mainOnClasspath("axons", "list"));
        assertThat(without.exit()).as(without.output()).isEqualTo(ExitCode.AUTH);
        assertThat(without.output()).doesNotContain("\tat ");

        Files.createDirectories(dir.resolve("myelin-data"));
        Files.writeString(dir.resolve("myelin-data").resolve("admin.key"), TestServer.ADMIN_KEY + "\n");
        Run with = run(dir, env, mainOnClasspath("axons", "create", "--name", "from-key-file"));
        assertThat(with.exit()).as(with.output()).isZero();
        assertThat(with.output()).contains("from-key-file");
    }

    @Test
    void environmentVariablesConfigureTheServerAndKey(@TempDir Path dir) throws Exception {
        Run r = run(dir, Map.of("MYELIN_URL", server.baseUrl(), "MYELIN_API_KEY", TestServer.ADMIN_KEY),
                mainOnClasspath("axons", "create", "--quiet"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output().strip()).isNotBlank();

        Run unreachable = run(dir, Map.of("MYELIN_URL", "http://127.0.0.1:1"), mainOnClasspath("axons", "list"));
        assertThat(unreachable.exit()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(unreachable.output().lines().toList()).hasSize(1);
    }

    @Test
    void serveOnAnUnusableDataDirPrintsOneLineAndFails(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "a file, not a directory");
        Run r = run(dir, Map.of("MYELIN_ADMIN_KEY", TestServer.ADMIN_KEY),
                mainOnClasspath("serve", "--port", "0", "--data-dir", file.toString()));
        assertThat(r.exit()).as(r.output()).isEqualTo(ExitCode.FAILURE);
        assertThat(r.output().lines().toList()).as(r.output())
                .containsExactly("myelin: cannot start: data dir " + file + " is not a directory");
    }

    @Test
    void serveWithAShortAdminKeyPrintsOneLineAndFails(@TempDir Path dir) throws Exception {
        Run r = run(dir, Map.of("MYELIN_ADMIN_KEY", "too-short"),
                mainOnClasspath("serve", "--port", "0", "--data-dir", dir.resolve("data").toString()));
        assertThat(r.exit()).as(r.output()).isEqualTo(ExitCode.USAGE);
        assertThat(r.output().lines().toList()).as(r.output()).singleElement().asString()
                .startsWith("myelin: configuration error: admin-key must be at least 32 printable ASCII characters")
                .doesNotContain("too-short");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void theRealLauncherRunsClientCommands(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR) && jarIsCurrent(), "myelin.jar is built and current (mvn package)");
        Map<String, String> env = Map.of("MYELIN_URL", server.baseUrl(), "MYELIN_API_KEY", TestServer.ADMIN_KEY);
        Run created = run(dir, env, List.of(LAUNCHER.toString(), "axons", "create", "--name", "via-launcher", "--quiet"));
        assertThat(created.exit()).as(created.output()).isZero();
        String id = created.output().strip();
        Run published = run(dir, env, List.of(LAUNCHER.toString(), "publish", id, "--type", "message", "--payload", "{\"text\":\"hi\"}"));
        assertThat(published.output()).contains("published #1");
        Run tail = run(dir, env, List.of(LAUNCHER.toString(), "tail", id, "--after", "0", "--json"));
        assertThat(tail.exit()).isZero();
        assertThat(tail.output()).contains("\"sequence\":1", "\"payload\":\"{\\\"text\\\":\\\"hi\\\"}\"");
        Run help = run(dir, env, List.of(LAUNCHER.toString(), "exec", "--help"));
        assertThat(help.output()).contains("--resume", "--last-seq", "--until");
    }

    /** The launcher rebuilds when a source is newer than the jar; a test must not trigger a build. */
    private static boolean jarIsCurrent() throws Exception {
        long jarTime = Files.getLastModifiedTime(JAR).toMillis();
        Path root = LAUNCHER.getParent().getParent();
        try (var files = Files.walk(root)) {
            return files.filter(p -> !p.toString().contains(File.separator + "target" + File.separator)
                            && !p.toString().contains("node_modules") && !p.toString().contains(File.separator + ".git"))
                    .filter(p -> p.toString().endsWith(".java") || p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.startsWith(root.resolve("bench")) && !p.startsWith(root.resolve("compat")))
                    .allMatch(p -> p.toFile().lastModified() <= jarTime);
        }
    }
}
