package io.myelin.devbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * An agent the operator allows devboxes to run ({@code agents.binaries}): a name clients use as a broker mount's
 * {@code agent_binary}, the executable it stands for, and the arguments clients may add.
 *
 * <p>A client's {@code launch_args} decide what the agent does as much as its executable does
 * ({@code claude --mcp-config <file>} runs the servers that file names, {@code --dangerously-skip-permissions} lifts
 * every permission prompt), so only the arguments the operator listed here are passed, each one exactly as listed
 * (unless {@code devboxes.allow-commands} lets clients run any command anyway).
 *
 * @param name           what clients call it ({@code opencode}, {@code claude})
 * @param executable     absolute path of the program
 * @param args           fixed arguments, placed before the mount's {@code launch_args}
 * @param launchArgs     the arguments a client may give in a mount's {@code launch_args} ({@code launch-args} in the
 *                       setting), each exactly; empty: none
 */
public record AgentBinary(String name, Path executable, List<String> args, Set<String> launchArgs) {
    public AgentBinary {
        if (!executable.isAbsolute()) {
            throw new IllegalArgumentException("agent binary " + name + ": executable must be an absolute path, got "
                    + executable);
        }
        args = List.copyOf(args);
        launchArgs = Set.copyOf(launchArgs);
    }

    /** An agent whose clients may add no arguments. */
    public AgentBinary(String name, Path executable, List<String> args) {
        this(name, executable, args, Set.of());
    }

    /** The command that starts it: executable, fixed arguments, then {@code launchArgs}. */
    public List<String> command(List<String> launchArgs) {
        List<String> c = new java.util.ArrayList<>(1 + args.size() + launchArgs.size());
        c.add(executable.toString());
        c.addAll(args);
        c.addAll(launchArgs);
        return List.copyOf(c);
    }
}
