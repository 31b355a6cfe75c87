package io.myelin.broker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs agents as child processes of this JVM, each as the leader of its own session and process group
 * ({@code setsid}), so that the broker can freeze, thaw and stop the agent together with every process it starts.
 *
 * <p>The agent gets exactly the environment of its {@link AgentCommand}; the executable is resolved against that
 * environment's {@code PATH} (or {@value #DEFAULT_PATH} when it has none) before anything starts, so that a missing
 * binary is a clear error rather than an agent that exits at once. Signals go to the group through the system's
 * {@code kill}. This is process supervision, not a sandbox: the agent runs as the server's user with its rights.
 *
 * <p>Linux and other POSIX systems with {@code setsid(1)} and {@code kill(1)}.
 */
public final class LocalAgentLauncher implements AgentLauncher {
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final Path setsid = resolve("setsid", DEFAULT_PATH);
    private final Path kill = resolve("kill", DEFAULT_PATH);

    /**
     * @throws AgentStartException when this system lacks {@code setsid(1)} or {@code kill(1)} (looked up in
     *                             {@value #DEFAULT_PATH}), the executable cannot be found, or the process cannot start
     */
    @Override
    public AgentProcess launch(AgentCommand command) {
        if (setsid == null || kill == null) {
            throw new AgentStartException("cannot start agents here: they need setsid(1) and kill(1) in " + DEFAULT_PATH, null);
        }
        if (!Files.isDirectory(command.workingDirectory())) {
            throw new AgentStartException("cannot start agent: working directory " + command.workingDirectory()
                    + " does not exist", null);
        }
        String exe = command.argv().get(0);
        String path = command.environment().getOrDefault("PATH", DEFAULT_PATH);
        Path resolved = resolve(exe, path);
        if (resolved == null) {
            throw new AgentStartException("cannot start agent: " + exe + (exe.contains("/")
                    ? " does not exist or is not executable" : " is not an executable in PATH " + path), null);
        }
        List<String> argv = new ArrayList<>(command.argv().size() + 1);
        argv.add(setsid.toString());
        argv.add(resolved.toString());
        argv.addAll(command.argv().subList(1, command.argv().size()));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(command.workingDirectory().toFile());
        pb.environment().clear();
        pb.environment().putAll(command.environment());
        try {
            // Not a process group leader (it is in the JVM's group), setsid(1) calls setsid() and execs in place:
            // the agent's pid is its process group id.
            return new LocalAgentProcess(pb.start(), kill.toString());
        } catch (IOException e) {
            throw new AgentStartException("cannot start agent " + exe + ": " + e.getMessage(), e);
        }
    }

    /** {@code name} itself when it contains a slash, else the first executable {@code dir/name} on {@code path}. */
    static Path resolve(String name, String path) {
        if (name.isEmpty()) {
            return null;
        }
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p.toAbsolutePath() : null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }
}
