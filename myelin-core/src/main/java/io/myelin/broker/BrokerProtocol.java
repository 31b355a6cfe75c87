package io.myelin.broker;

/**
 * The wire protocol between a broker and its agent process: Runloop's {@code BrokerMount.protocol}. Myelin relays
 * {@link #ACP} (the Agent Client Protocol, JSON-RPC 2.0 over stdio) and {@link #CLAUDE_JSON} (Claude Code's
 * {@code stream-json} mode); the devbox API refuses the others with 422 naming {@code mounts[i].protocol}.
 */
public enum BrokerProtocol {
    /** The Agent Client Protocol: newline-delimited JSON-RPC 2.0 on the agent's stdin and stdout. */
    ACP("acp"),
    /** Claude Code's {@code --input-format stream-json --output-format stream-json}: one JSON object a line. */
    CLAUDE_JSON("claude_json"),
    /** Runloop's Codex relay; not supported by Myelin. */
    CODEX_JSON("codex_json"),
    /** Runloop's Pi relay; not supported by Myelin. */
    PI_JSON("pi_json");

    private final String wireName;

    BrokerProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire ({@code "acp"}, {@code "claude_json"}, ...). */
    public String wireName() {
        return wireName;
    }

    /**
     * The protocol with wire name {@code s}.
     *
     * @throws IllegalArgumentException naming the supported values when {@code s} is none of the four
     */
    public static BrokerProtocol fromWire(String s) {
        for (BrokerProtocol p : values()) {
            if (p.wireName.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol must be acp or claude_json (Runloop's codex_json and pi_json are"
                + " not supported by Myelin); got '" + s + "'");
    }
}
