package io.myelin.devbox;

import java.util.List;
import java.util.Set;

/**
 * An operator-defined starting point for devboxes ({@code devboxes.blueprints}), named by a create request's
 * {@code blueprint_name}. Runloop builds blueprints into images; here a blueprint is the commands that prepare a new
 * workspace, the agents its devboxes may run and the environment variables their clients may set.
 *
 * @param name               what clients name it
 * @param setupCommands      shell commands run once, in order, when a devbox's workspace is created (before its
 *                           launch commands); a failing one fails the devbox
 * @param agentBinaries      the names of {@code agents.binaries} its devboxes may mount, or null for every configured
 *                           one
 * @param allowedEnvironment environment variables a client may set in its devboxes, beyond those
 *                           {@code devboxes.allowed-environment} allows on every devbox
 */
public record Blueprint(String name, List<String> setupCommands, Set<String> agentBinaries,
                        EnvironmentNames allowedEnvironment) {
    public Blueprint {
        setupCommands = List.copyOf(setupCommands);
        agentBinaries = agentBinaries == null ? null : Set.copyOf(agentBinaries);
        allowedEnvironment = allowedEnvironment == null ? EnvironmentNames.NONE : allowedEnvironment;
    }

    /** A blueprint that allows no environment variables beyond the server-wide ones. */
    public Blueprint(String name, List<String> setupCommands, Set<String> agentBinaries) {
        this(name, setupCommands, agentBinaries, EnvironmentNames.NONE);
    }

    /** Whether devboxes of this blueprint may mount the agent called {@code binary}. */
    public boolean allows(String binary) {
        return agentBinaries == null || agentBinaries.contains(binary);
    }
}
