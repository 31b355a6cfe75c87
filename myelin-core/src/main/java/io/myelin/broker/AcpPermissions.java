package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.intent.PermissionIntent;
import io.myelin.intent.WaitingFor;
import io.myelin.stream.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An ACP agent's {@code session/request_permission} requests, each a {@code human} intent on the axon (kind
 * {@value PermissionIntent#KIND}, payload {@code {tool_call, options, session_id, request}} in ACP's own names, title
 * the tool call's). The request is still published as its event, which Runloop's remote-agents clients answer with a
 * {@code USER_EVENT} of the same method; whichever comes first answers the agent:
 *
 * <ul>
 *   <li>the intent ends: resolved with an offered option ({@code result.option_id}, or ACP's answer itself) → the
 *       agent gets {@code {outcome: {outcome: "selected", optionId}}}; cancelled, expired or failed → {@code
 *       cancelled};</li>
 *   <li>a client answers the event: the answer is relayed as before and the intent resolved with it
 *       ({@code completed}, or {@code failed} for an error or an answer naming no offered option);</li>
 *   <li>the turn is cancelled, or the agent is gone: the intent is cancelled.</li>
 * </ul>
 *
 * <p>Confined to the broker's thread, as its relay is.
 */
final class AcpPermissions {
    static final String METHOD = "session/request_permission";

    /** An agent request waiting as an intent: the intent's id and payload. */
    private record Waiting(String intentId, JsonNode payload) {}

    private final RelayHost host;
    private final AcpIds ids;
    private final BiConsumer<JsonNode, JsonNode> answerAgent;
    /** The agent's request ids (of this agent process) whose intents are open. */
    private final Map<JsonNode, Waiting> waiting = new HashMap<>();

    /** @param answerAgent sends the agent the answer (second) to its request id (first) */
    AcpPermissions(RelayHost host, AcpIds ids, BiConsumer<JsonNode, JsonNode> answerAgent) {
        this.host = host;
        this.ids = ids;
        this.answerAgent = answerAgent;
    }

    /** The agent asked, with its request {@code agentId} and {@code params} (session id as clients know it). */
    void asked(JsonNode agentId, ObjectNode params) {
        ObjectNode payload = BrokerJson.object();
        payload.set("tool_call", params.get("toolCall"));
        payload.set("options", params.get("options"));
        payload.set("session_id", params.get("sessionId"));
        payload.set("request", params);
        String title = BrokerJson.string(params.get("toolCall"), "title");
        IntentRequest request = IntentRequest.of(PermissionIntent.KIND, WaitingFor.HUMAN,
                title == null ? "The agent asks for permission" : title, payload);
        String id = host.publishWaiting(METHOD, BrokerJson.text(params), request, intent -> ended(agentId, intent));
        if (id != null) {
            waiting.put(agentId, new Waiting(id, payload));
        }
    }

    /** The intent of the agent's request {@code agentId} ended: the agent gets the option chosen, or cancelled. */
    private void ended(JsonNode agentId, Intent intent) {
        waiting.remove(agentId);
        if (!ids.takeAgentRequest(METHOD, agentId)) {
            return; // answered another way meanwhile
        }
        ObjectNode answer = PermissionIntent.acpAnswer(intent);
        if (answer == null) {
            host.agentError("invalid_resolution", "intent " + intent.id() + " completed with a result naming no"
                    + " option the agent offered (" + intent.resolution().result() + "); the agent was answered"
                    + " cancelled");
            answer = cancelled();
        }
        answerAgent.accept(agentId, answer);
    }

    /** A client's event {@code e} answered the agent's request {@code agentId} with {@code answer}. */
    void answeredByClient(JsonNode agentId, JsonNode answer, Event e) {
        Waiting w = waiting.remove(agentId);
        if (w == null) {
            return;
        }
        boolean valid = !BrokerJson.isRpcError(answer) && PermissionIntent.answers(w.payload(), answer);
        host.resolveIntent(w.intentId(), valid ? Outcome.COMPLETED : Outcome.FAILED, answer,
                "answered by the client's " + METHOD + " event #" + e.sequence());
    }

    /** The agent's requests {@code agentIds} were answered {@code cancelled} (the turn was cancelled). */
    void cancelled(List<JsonNode> agentIds, String reason) {
        for (JsonNode agentId : agentIds) {
            Waiting w = waiting.remove(agentId);
            if (w != null) {
                host.cancelIntent(w.intentId(), reason);
            }
        }
    }

    /** The agent process is gone: none of its requests can be answered any more. */
    void gone(String why) {
        List<Waiting> open = List.copyOf(waiting.values());
        waiting.clear();
        for (Waiting w : open) {
            host.cancelIntent(w.intentId(), why);
        }
    }

    static ObjectNode cancelled() {
        ObjectNode answer = BrokerJson.object();
        answer.putObject("outcome").put("outcome", "cancelled");
        return answer;
    }
}
