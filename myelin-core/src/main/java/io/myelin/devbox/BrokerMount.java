package io.myelin.devbox;

import io.myelin.broker.BrokerProtocol;
import java.util.List;

/**
 * A broker mount as a client asked for it (Runloop {@code BrokerMount}, {@code type: "broker_mount"}): an agent
 * process relayed onto an axon.
 *
 * @param axonId           the axon the broker relays
 * @param protocol         how the broker talks to the agent ({@code protocol}; {@code acp} when the client sent none)
 * @param agentBinary      the name of an operator-configured agent ({@code agents.binaries}), never a path
 * @param launchArgs       arguments appended after the operator's fixed arguments (maybe empty)
 * @param workingDirectory where the agent starts, relative to the devbox's workspace; null for the workspace itself
 */
public record BrokerMount(String axonId, BrokerProtocol protocol, String agentBinary, List<String> launchArgs,
                          String workingDirectory) {
    public BrokerMount {
        launchArgs = launchArgs == null ? List.of() : List.copyOf(launchArgs);
    }
}
