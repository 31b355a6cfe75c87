package io.myelin.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the broker needs to run one mount.
 *
 * @param devboxId         the devbox the mount belongs to ({@code dbx_...}), for logs and lifecycle events
 * @param axonId           the axon whose events the broker relays to and from the agent
 * @param protocol         how the broker talks to the agent
 * @param command          the operator-resolved executable (absolute path) and its fixed arguments, followed by the
 *                         mount's {@code launch_args}: the devbox layer resolved {@code agent_binary} through
 *                         {@code agents.binaries}, so a client never names an executable itself
 * @param workingDirectory where the agent process starts; exists
 * @param environment      the complete environment of the agent process: a clean base environment plus the devbox's
 *                         {@code environment_variables} (nothing is inherited from the server)
 * @param wakeOnAxonEvent  whether a turn-starting event that arrives while the agent is suspended or shut down
 *                         should call {@link BrokerListener#wakeRequested} ({@code resume_triggers.axon_event})
 */
public record BrokerSpec(String devboxId, String axonId, BrokerProtocol protocol, List<String> command,
                         Path workingDirectory, Map<String, String> environment, boolean wakeOnAxonEvent) {}
