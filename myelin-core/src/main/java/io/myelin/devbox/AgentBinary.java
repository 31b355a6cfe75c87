package io.myelin.devbox;

import java.nio.file.Path;
import java.util.List;

/**
 * An agent the operator allows devboxes to run ({@code agents.binaries}): a name clients use as a broker mount's
 * {@code agent_binary}, and the executable it stands for.
 *
 * @param name       what clients call it ({@code opencode}, {@code claude})
 * @param executable absolute path of the program
 * @param args       fixed arguments, placed before the mount's {@code launch_args}
 */
public record AgentBinary(String name, Path executable, List<String> args) {
    public AgentBinary {
        if (!executable.isAbsolute()) {
            throw new IllegalArgumentException("agent binary " + name + ": executable must be an absolute path, got "
                    + executable);
        }
        args = List.copyOf(args);
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
