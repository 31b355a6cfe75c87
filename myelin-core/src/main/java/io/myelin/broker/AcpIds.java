package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.stream.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON-RPC ids of one ACP relay, in both directions. The broker numbers its own requests to the agent (from 0,
 * per relay) and remembers what each one was for until the agent answers it; the agent numbers its requests to the
 * client itself, and those ids wait here, per method and oldest first, until a client's {@code USER_EVENT} of the
 * same method answers one. Clients never see an id.
 *
 * <p>Confined to the broker's thread, as its relay is.
 */
final class AcpIds {
    /**
     * A request the broker sent and whose answer it waits for.
     *
     * @param method   the JSON-RPC method
     * @param params   the params as sent (session id already mapped to the agent's)
     * @param client   the client's event it relays, or null for the broker's own request (restore, plain messages)
     * @param turn     whether its answer ends the running turn
     * @param onResult for the broker's own request: what its result does; null for a client's
     * @param onError  for the broker's own request: what its error does; null for a client's
     */
    record Pending(String method, ObjectNode params, Event client, boolean turn,
                   Consumer<JsonNode> onResult, Consumer<JsonNode> onError) {}

    private final Map<Long, Pending> pending = new HashMap<>();
    /** The agent's requests waiting for a client's answer: method -> the agent's ids, oldest first. */
    private final Map<String, Deque<JsonNode>> agentRequests = new HashMap<>();
    private long nextId;

    /** Remembers {@code p} under a fresh id, which the request to the agent carries. */
    long assign(Pending p) {
        long id = nextId++;
        pending.put(id, p);
        return id;
    }

    /** The request the agent answered with {@code id}, forgotten now; null when the broker sent none with that id. */
    Pending answered(long id) {
        return pending.remove(id);
    }

    /** The agent sent a request of {@code method} with its own {@code id}: it waits for a client's answer. */
    void agentAsked(String method, JsonNode id) {
        agentRequests.computeIfAbsent(method, m -> new ArrayDeque<>()).add(id);
    }

    /** Whether a request of {@code method} from the agent waits for a client's answer. */
    boolean agentWaits(String method) {
        Deque<JsonNode> waiting = agentRequests.get(method);
        return waiting != null && !waiting.isEmpty();
    }

    /** The agent's id of its oldest request of {@code method} still unanswered, taken; null when none waits. */
    JsonNode nextAgentRequest(String method) {
        Deque<JsonNode> waiting = agentRequests.get(method);
        return waiting == null ? null : waiting.poll();
    }

    /** Takes the agent's request {@code id} of {@code method}; false when it is answered already (or never was). */
    boolean takeAgentRequest(String method, JsonNode id) {
        Deque<JsonNode> waiting = agentRequests.get(method);
        return waiting != null && waiting.remove(id);
    }

    /** Every agent id of {@code method} still unanswered, oldest first, all taken. */
    List<JsonNode> takeAgentRequests(String method) {
        Deque<JsonNode> waiting = agentRequests.remove(method);
        return waiting == null ? List.of() : List.copyOf(waiting);
    }

    /** The agent process is gone: every id is forgotten; returns the requests that still waited for an answer. */
    List<Pending> clear() {
        List<Pending> open = new ArrayList<>(pending.values());
        pending.clear();
        agentRequests.clear();
        return open;
    }

    /** The sequence of the oldest client request (not a turn) still waiting for the agent's answer, or MAX_VALUE. */
    long oldestClientRequest() {
        long oldest = Long.MAX_VALUE;
        for (Pending p : pending.values()) {
            if (p.client() != null && !p.turn()) {
                oldest = Math.min(oldest, p.client().sequence());
            }
        }
        return oldest;
    }
}
