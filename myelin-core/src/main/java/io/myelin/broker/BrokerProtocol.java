package io.myelin.broker;

/**
 * Wire protocol of a broker mount (Runloop {@code BrokerMount.protocol}): how the broker talks to the agent process
 * it relays. Only {@link #ACP} (JSON-RPC over stdio, the Agent Client Protocol) and {@link #CLAUDE_JSON} (Claude
 * Code's {@code stream-json} input and output) are supported; the others are refused with 422 by the devbox API.
 */
public enum BrokerProtocol {
    ACP("acp"),
    CLAUDE_JSON("claude_json"),
    CODEX_JSON("codex_json"),
    PI_JSON("pi_json");

    private final String wireName;

    BrokerProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The protocol as the wire spells it ({@code acp}, {@code claude_json}, ...). */
    public String wireName() {
        return wireName;
    }

    /**
     * The protocol the wire name {@code s} names.
     *
     * @throws IllegalArgumentException for a name that is none of the four, with the accepted names
     */
    public static BrokerProtocol fromWire(String s) {
        for (BrokerProtocol p : values()) {
            if (p.wireName.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown broker protocol '" + s + "'; one of acp, claude_json, codex_json, pi_json");
    }
}
