package io.myelin.client;

import java.util.List;
import java.util.Objects;

/**
 * A broker mount (Runloop {@code BrokerMount}): an agent the server's operator configured, relayed onto an axon.
 * Turns published on the axon reach the agent; its output comes back as events.
 *
 * @param type             always {@code broker_mount}
 * @param axonId           the axon to relay
 * @param protocol         {@code acp} (Agent Client Protocol) or {@code claude_json} (Claude Code stream-json)
 * @param agentBinary      the name the operator gave the agent in {@code agents.binaries}
 * @param launchArgs       arguments after the operator's own
 * @param workingDirectory where the agent starts, relative to the devbox's workspace, or null for the workspace
 */
public record BrokerMount(String type, String axonId, String protocol, String agentBinary, List<String> launchArgs,
                          String workingDirectory) {
    public BrokerMount {
        type = "broker_mount";
        Objects.requireNonNull(axonId, "axonId");
        launchArgs = launchArgs == null ? List.of() : List.copyOf(launchArgs);
    }

    /** An ACP agent, e.g. {@code acp(axonId, "opencode", "acp")}. */
    public static BrokerMount acp(String axonId, String agentBinary, String... launchArgs) {
        return new BrokerMount(null, axonId, "acp", agentBinary, List.of(launchArgs), null);
    }

    /** Claude Code over stream-json. */
    public static BrokerMount claude(String axonId, String agentBinary, String... launchArgs) {
        return new BrokerMount(null, axonId, "claude_json", agentBinary, List.of(launchArgs), null);
    }

    /** This mount, with the agent starting in {@code directory} (relative to the workspace). */
    public BrokerMount inDirectory(String directory) {
        return new BrokerMount(type, axonId, protocol, agentBinary, launchArgs, directory);
    }
}
