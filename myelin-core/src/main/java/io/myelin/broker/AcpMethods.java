package io.myelin.broker;

import java.util.Set;

/**
 * The ACP methods a broker knows, and what an axon event of each {@code event_type} asks of it: {@code session/prompt}
 * starts a turn, {@code session/cancel} and {@code turn.cancel} cancel it, every other protocol method (the agent's,
 * the client's, extensions {@code _*} and notifications {@code $/*}) is relayed, and anything else is a plain message
 * that starts a turn.
 */
final class AcpMethods {
    static final Set<String> AGENT_METHODS = Set.of("initialize", "authenticate", "providers/list", "providers/set",
            "providers/disable", "session/new", "session/load", "session/set_mode", "session/set_config_option",
            "session/set_model", "session/prompt", "session/cancel", "mcp/message", "session/list",
            "session/delete", "session/fork", "session/resume", "session/close", "logout");
    static final Set<String> CLIENT_METHODS = Set.of("session/request_permission", "session/update",
            "fs/write_text_file", "fs/read_text_file", "terminal/create", "terminal/output", "terminal/release",
            "terminal/wait_for_exit", "terminal/kill", "mcp/message", "elicitation/create", "elicitation/complete",
            "session/elicitation/complete");
    static final String PROMPT = "session/prompt";
    static final String CANCEL = "session/cancel";

    private AcpMethods() {
    }

    /** What an event of {@code type} from a client asks of the broker. */
    static Relay.Kind classify(String type) {
        if (type.equals(PROMPT)) {
            return Relay.Kind.TURN;
        }
        if (type.equals(CANCEL) || type.equals("turn.cancel")) {
            return Relay.Kind.CANCEL;
        }
        if (AGENT_METHODS.contains(type) || CLIENT_METHODS.contains(type) || type.startsWith("_") || type.startsWith("$/")) {
            return Relay.Kind.RELAY;
        }
        return Relay.Kind.TURN;
    }
}
