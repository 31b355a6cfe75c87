package io.myelin.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a broker needs to run one mount: which axon it relays, which agent it starts and how.
 *
 * @param devboxId         the devbox the mount belongs to; named as {@code devbox_id} in the {@code agent.error}
 *                         events the broker publishes (a broker run by {@code myelin broker} names itself)
 * @param axonId           the axon whose events the broker relays
 * @param protocol         {@link BrokerProtocol#ACP} or {@link BrokerProtocol#CLAUDE_JSON}
 * @param command          the operator-resolved executable followed by {@code launch_args} (the devbox layer resolved
 *                         {@code agent_binary} through {@code agents.binaries}); for Claude the broker appends its
 *                         stream-json flags itself
 * @param workingDirectory where the agent runs; exists
 * @param environment      the complete environment of the agent process (a clean environment plus the devbox's
 *                         {@code environment_variables}): nothing of the server's own environment leaks in
 * @param wakeOnAxonEvent  Runloop's {@code resume_triggers.axon_event}: whether an event that needs the agent while it
 *                         is suspended or shut down asks the supervisor to resume it
 *                         ({@link BrokerListener#wakeRequested})
 */
public record BrokerSpec(String devboxId, String axonId, BrokerProtocol protocol, List<String> command,
                         Path workingDirectory, Map<String, String> environment, boolean wakeOnAxonEvent) {
    public BrokerSpec {
        Objects.requireNonNull(devboxId, "devboxId");
        Objects.requireNonNull(axonId, "axonId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name the agent's executable");
        }
    }
}
