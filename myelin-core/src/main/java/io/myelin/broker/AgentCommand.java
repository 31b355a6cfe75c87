package io.myelin.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one agent process.
 *
 * @param argv             the executable followed by its arguments
 * @param workingDirectory the directory it starts in
 * @param environment      its complete environment: nothing else is inherited
 */
public record AgentCommand(List<String> argv, Path workingDirectory, Map<String, String> environment) {
    public AgentCommand {
        argv = List.copyOf(argv);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name an executable");
        }
    }
}
