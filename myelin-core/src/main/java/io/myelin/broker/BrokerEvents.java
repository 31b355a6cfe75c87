package io.myelin.broker;

import java.util.Set;

/**
 * The system events a broker appends to its axon ({@code SYSTEM_EVENT}, payload JSON), as Runloop's remote-agents
 * client reads them ({@code SYSTEM_EVENT_TYPES} in its {@code timeline.ts}):
 *
 * <ul>
 *   <li>{@code turn.started {turn_id}}, {@code turn.completed {turn_id, stop_reason}},
 *       {@code turn.failed {turn_id, error, stop_reason}};</li>
 *   <li>{@code agent.error {devbox_id, type, message}}: the agent exited, could not be restored, wrote what cannot
 *       be relayed; or a client sent what cannot be relayed ({@code invalid_answer}, {@code invalid_input});</li>
 *   <li>{@code agent.log {log_type: "stderr", message}}: its stderr, rate-limited ({@code log_type "stdout"} for
 *       stdout lines that are not protocol, limited alike);</li>
 *   <li>{@code broker.error {message}}: the agent cannot be started (the client treats it as fatal).</li>
 * </ul>
 */
public final class BrokerEvents {
    /** The {@code source} of every event a broker publishes. */
    public static final String SOURCE = "broker";

    /** Every system event type a broker appends. */
    public static final Set<String> TYPES = Set.of("turn.started", "turn.completed", "turn.failed", "agent.error",
            "agent.log", "broker.error");

    private BrokerEvents() {
    }
}
