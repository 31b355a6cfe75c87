package io.myelin.devbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the server runs devboxes. The server's settings ({@code devboxes.*}, {@code agents.binaries}) fill it; the
 * defaults here are the one source of the settings' defaults.
 *
 * @param root              the directory holding one workspace directory per devbox ({@code devboxes.root})
 * @param keepWorkspaces    keep a workspace after its devbox shut down ({@code devboxes.keep-workspaces})
 * @param allowCommands     whether clients may send {@code launch_commands} and {@code suspend_commands}, shell
 *                          commands run as the server's user ({@code devboxes.allow-commands}), and with them any
 *                          {@code environment_variables} and {@code launch_args}; blueprint setup commands, which
 *                          the operator wrote, always run
 * @param commandTimeout    longest one setup or launch command may run before it is killed and the devbox fails
 * @param stopTimeout       how long an agent gets between SIGTERM and SIGKILL when it is stopped (an idle shutdown,
 *                          {@code POST shutdown}, the server stopping)
 * @param agentStartTimeout how long an agent has to answer each request of the broker's start-up handshake (ACP
 *                          {@code initialize}, {@code session/new}, {@code session/load}) before it is killed and the
 *                          turn waiting for it fails ({@code agents.start-timeout})
 * @param agentCancelTimeout how long a cancelled turn waits for its agent to end it before it ends {@code cancelled}
 *                          anyway and the agent is stopped ({@code agents.cancel-timeout})
 * @param waitTimeout       longest {@code wait_for_status} holds a request before answering 408 (at most 30 s,
 *                          what Runloop's SDK expects)
 * @param maxActive         devboxes that may exist at once on this server without being shut down
 * @param binaries          the agents devboxes may run, by name ({@code agents.binaries}); empty: none
 * @param blueprints        the blueprints clients may name, by name ({@code devboxes.blueprints})
 * @param allowedEnvironment the {@code environment_variables} clients may set on every devbox
 *                          ({@code devboxes.allowed-environment}); with {@code allowCommands} every name but
 *                          {@code MYELIN_*} is allowed anyway, since such clients may run any command
 * @param idleCheckInterval how often idle devboxes are looked for (real time; idleness itself is measured on the
 *                          engine's clock)
 */
public record DevboxOptions(Path root, boolean keepWorkspaces, boolean allowCommands, Duration commandTimeout,
                            Duration stopTimeout, Duration agentStartTimeout, Duration agentCancelTimeout,
                            Duration waitTimeout, int maxActive,
                            Map<String, AgentBinary> binaries, Map<String, Blueprint> blueprints,
                            EnvironmentNames allowedEnvironment, Duration idleCheckInterval) {
    /** The longest hold of {@code wait_for_status}: Runloop's SDK allows its requests a little more than this. */
    public static final Duration MAX_WAIT_TIMEOUT = Duration.ofSeconds(30);
    /** The directory under the data dir that holds the workspaces by default. */
    public static final String DEFAULT_ROOT = "devboxes";

    public DevboxOptions {
        binaries = Map.copyOf(binaries);
        blueprints = Map.copyOf(blueprints);
        allowedEnvironment = allowedEnvironment == null ? EnvironmentNames.NONE : allowedEnvironment;
        if (waitTimeout.compareTo(MAX_WAIT_TIMEOUT) > 0 || waitTimeout.isNegative() || waitTimeout.isZero()) {
            throw new IllegalArgumentException("wait timeout must be more than 0 and at most 30s, got " + waitTimeout);
        }
        if (agentStartTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("agent start timeout must be at least 1ms, got " + agentStartTimeout);
        }
        if (agentCancelTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("agent cancel timeout must be at least 1ms, got " + agentCancelTimeout);
        }
        if (maxActive < 1) {
            throw new IllegalArgumentException("max active devboxes must be at least 1, got " + maxActive);
        }
    }

    /** Defaults for a server whose data dir is {@code dataDir}: no agents, no client commands or variables. */
    public static DevboxOptions defaults(Path dataDir) {
        return new DevboxOptions(dataDir.resolve(DEFAULT_ROOT), false, false, Duration.ofMinutes(10),
                io.myelin.broker.BrokerOptions.DEFAULT_STOP_GRACE, io.myelin.broker.BrokerOptions.DEFAULT_HANDSHAKE_TIMEOUT,
                io.myelin.broker.BrokerOptions.DEFAULT_CANCEL_TIMEOUT, MAX_WAIT_TIMEOUT, 1000, Map.of(), Map.of(),
                EnvironmentNames.NONE,
                Duration.ofSeconds(1));
    }

    /** These options with idle devboxes looked for every {@code interval} (tests look more often). */
    public DevboxOptions withIdleCheckInterval(Duration interval) {
        return new DevboxOptions(root, keepWorkspaces, allowCommands, commandTimeout, stopTimeout, agentStartTimeout,
                agentCancelTimeout, waitTimeout, maxActive, binaries, blueprints, allowedEnvironment, interval);
    }
}
