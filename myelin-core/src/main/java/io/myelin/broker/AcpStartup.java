package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * The ACP relay's own start-up handshake with its agent ({@code initialize}, then {@code session/new} or
 * {@code session/load}): which of its requests waits for the agent's answer and since when, and the turn waiting for
 * the session to open.
 *
 * <p>The handshake belongs to the agent process, not to a turn: a turn cancelled while it runs ends at once and the
 * handshake goes on, and the next turn waits for it instead of sending another {@code initialize}. Its deadline
 * ({@link BrokerOptions#handshakeTimeout}) is enforced by {@link AgentSlot}, which kills an agent that leaves a
 * request unanswered that long.
 *
 * <p>Confined to the broker's thread.
 */
final class AcpStartup {
    /** Sends one of the broker's own requests to the agent; one of the two callbacks runs with its answer. */
    interface Sender {
        void request(String method, ObjectNode params, Consumer<JsonNode> onResult, Consumer<JsonNode> onError);
    }

    private final RelayHost host;
    private final InstantSource clock;
    private final Sender sender;
    private String awaited;
    private long since = Long.MAX_VALUE;
    private Runnable waiting;

    AcpStartup(RelayHost host, InstantSource clock, Sender sender) {
        this.host = host;
        this.clock = clock;
        this.sender = sender;
    }

    /** The {@code initialize} params of the broker's own handshake: protocol 1, no fs or terminal for the agent. */
    static ObjectNode clientInitialize() {
        ObjectNode p = BrokerJson.object();
        p.put("protocolVersion", 1);
        ObjectNode caps = p.putObject("clientCapabilities");
        caps.putObject("fs").put("readTextFile", false).put("writeTextFile", false);
        caps.put("terminal", false);
        p.putObject("clientInfo").put("name", "myelin-broker").put("version", "1");
        return p;
    }

    /** The {@code session/new} params of a conversation with none yet: {@code cwd} (absolute), no MCP servers. */
    static ObjectNode sessionParams(String cwd) {
        ObjectNode p = BrokerJson.object();
        p.put("cwd", cwd);
        p.putArray("mcpServers");
        return p;
    }

    /** Sends the handshake request {@code method}: its deadline starts now and ends with its answer. */
    void request(String method, ObjectNode params, Consumer<JsonNode> onResult, Consumer<JsonNode> onError) {
        awaited = method;
        since = clock.millis();
        sender.request(method, params, r -> {
            answered();
            onResult.accept(r);
        }, e -> {
            answered();
            onError.accept(e);
        });
    }

    private void answered() {
        awaited = null;
        since = Long.MAX_VALUE;
    }

    /** Whether a handshake request waits for the agent's answer. */
    boolean pending() {
        return awaited != null;
    }

    /** The request waiting for the agent's answer, or null. */
    Relay.Awaited awaited() {
        return awaited == null ? null : new Relay.Awaited(awaited, since);
    }

    /** The handshake failed: the waiting turn fails with {@code why}; with none waiting, clients get an agent.error. */
    void fail(String why) {
        if (release()) {
            host.turnFailed(why, "error");
        } else {
            host.agentError("start_failed", why);
        }
    }

    /** The running turn waits for the session: {@code then} prompts the agent once it is open. */
    void waitWith(Runnable then) {
        waiting = then;
    }

    /** Whether a turn waits for the session. */
    boolean turnWaiting() {
        return waiting != null;
    }

    /** The waiting turn no longer waits (it ended); returns whether one did. */
    boolean release() {
        boolean was = waiting != null;
        waiting = null;
        return was;
    }

    /** The session is open: runs the waiting turn's prompt, if a turn still waits. */
    void proceed() {
        Runnable then = waiting;
        waiting = null;
        if (then != null) {
            then.run();
        }
    }

    /** The agent process is gone: nothing waits for it any more. */
    void reset() {
        answered();
        waiting = null;
    }
}
