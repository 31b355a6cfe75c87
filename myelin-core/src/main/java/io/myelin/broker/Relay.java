package io.myelin.broker;

import io.myelin.stream.Event;
import java.util.List;

/**
 * One wire protocol's side of a broker: how axon events become lines on the agent's stdin, and how the agent's
 * stdout lines become events. {@link AcpRelay} speaks ACP, {@link ClaudeRelay} Claude Code's stream-json.
 *
 * <p>A relay never blocks and never publishes on its own: it calls its {@link RelayHost}, which writes, publishes
 * (durably, with idempotency keys), and runs turns. Confined to the broker's thread.
 */
interface Relay {
    /** What an event from a client (origin {@code USER_EVENT} or {@code EXTERNAL_EVENT}) asks of the broker. */
    enum Kind {
        /** Starts a turn: queued, run one at a time. */
        TURN,
        /** Relayed to the agent at once (a request, a notification, an answer to the agent's request). */
        RELAY,
        /** Cancels the running turn (relayed like {@link #RELAY} when none runs and the event is a protocol one). */
        CANCEL
    }

    /** The agent's argv: the mount's command plus what the protocol adds (Claude's stream-json flags). */
    List<String> argv(List<String> command);

    /** Takes the protocol's part of the durable state (the restored session) before the first agent starts. */
    void restore(BrokerState state);

    Kind classify(Event event);

    /**
     * A new agent process is up. When there is a conversation to bring back (a restart), the relay first restores
     * it (ACP {@code initialize} + {@code session/load}, Claude's {@code initialize}); either way it calls
     * {@link RelayHost#ready} once the agent may take work.
     */
    void started();

    /** Starts {@code turn}: writes what asks the agent for it. */
    void startTurn(Turn turn);

    /** Relays a {@link Kind#RELAY} event. */
    void relay(Event event);

    /** Cancels {@code running} (null when no turn runs) for {@code event} (a {@link Kind#CANCEL} event). */
    void cancel(Turn running, Event event);

    /** One line the agent wrote on stdout. */
    void agentLine(String line);

    /**
     * The agent process is gone (exited, stopped, or the broker closes): every client request still waiting for its
     * answer gets an error answer saying {@code why}, and requests the agent had made are forgotten.
     */
    void agentGone(String why);

    /** Whether a newly started agent is given a conversation to continue (a session, an initialize to repeat). */
    boolean hasConversation();

    /** Drops the conversation to restore: an agent that keeps dying while it is brought back starts afresh. */
    void forget();

    /** The lowest sequence of a client event still waiting for the agent's answer, or {@link Long#MAX_VALUE}. */
    long oldestInFlight();

    /**
     * The broker's own start-up request the agent has not answered yet, or null (none waits; a protocol whose agent
     * needs no handshake). The agent must answer it within {@link BrokerOptions#handshakeTimeout}.
     */
    default Awaited awaited() {
        return null;
    }

    /** A start-up request waiting for its answer: its method, sent at {@code sinceMs} (the broker options' clock). */
    record Awaited(String method, long sinceMs) {
    }
}
