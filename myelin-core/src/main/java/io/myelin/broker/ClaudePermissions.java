package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.IntentStatus;
import io.myelin.intent.Outcome;
import io.myelin.intent.PermissionIntent;
import io.myelin.intent.WaitingFor;
import io.myelin.stream.Event;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's {@code can_use_tool} control requests, each a {@code human} intent on the axon (kind
 * {@value PermissionIntent#KIND}, payload {@code {tool_call: {tool_name, input, tool_use_id, description}, options:
 * allow and deny, session_id, request: the agent's line}}, title the tool's name and description). The request is
 * still published as its {@code control_request} event, which clients answer with a {@code control_response}
 * event; whichever comes first answers the agent:
 *
 * <ul>
 *   <li>the intent ends: resolved with {@code allow} ({@code result.option_id} or {@code result.behavior}; a
 *       {@code result.updatedInput} object replaces the tool's input) → {@code {behavior: "allow", updatedInput}};
 *       with {@code deny} → {@code {behavior: "deny", message}} ({@code result.message}, else the comment);
 *       cancelled, expired or failed → {@code deny} saying so. A client's later answer to the event is dropped;</li>
 *   <li>a client answers the event: relayed as before, and the intent resolved with the answer ({@code completed},
 *       or {@code failed} for an error answer or a behavior that is neither allow nor deny);</li>
 *   <li>the agent withdraws the request ({@code control_cancel_request}, as after an interrupt), the turn ends, or
 *       the agent is gone: the intent is cancelled.</li>
 * </ul>
 *
 * <p>Confined to the broker's thread, as its relay is.
 */
final class ClaudePermissions {
    /** Request ids the intents answered, remembered so that a client's later answer is not relayed too. */
    private static final int MAX_ANSWERED = 1000;

    private record Waiting(String intentId, ObjectNode request, JsonNode payload) {}

    private final RelayHost host;
    /** The agent's can_use_tool requests whose intents are open, by request id. */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private final Set<String> answered = new LinkedHashSet<>();

    ClaudePermissions(RelayHost host) {
        this.host = host;
    }

    /**
     * Publishes the agent's line {@code msg} (text {@code line}) and, when it is a {@code can_use_tool} request,
     * opens its intent; false (nothing done) for any other line.
     */
    boolean asked(ObjectNode msg, String line) {
        String id = BrokerJson.string(msg, "request_id");
        if (!"control_request".equals(BrokerJson.string(msg, "type")) || id == null
                || !(msg.get("request") instanceof ObjectNode request)
                || !"can_use_tool".equals(BrokerJson.string(request, "subtype"))) {
            return false;
        }
        ObjectNode call = BrokerJson.object();
        for (String f : List.of("tool_name", "input", "tool_use_id", "description")) {
            if (request.get(f) != null) {
                call.set(f, request.get(f));
            }
        }
        ObjectNode payload = BrokerJson.object();
        payload.set("tool_call", call);
        payload.putArray("options").add(option("allow", "Allow", "allow_once")).add(option("deny", "Deny", "reject_once"));
        payload.set("session_id", msg.get("session_id"));
        payload.set("request", msg);
        String tool = BrokerJson.string(request, "tool_name");
        String description = BrokerJson.string(request, "description");
        String title = (tool == null ? "A tool" : tool) + (description == null ? "" : ": " + description);
        IntentRequest intent = IntentRequest.of(PermissionIntent.KIND, WaitingFor.HUMAN, title, payload);
        String intentId = host.publishWaiting("control_request", line, intent, i -> ended(id, i));
        if (intentId != null) {
            waiting.put(id, new Waiting(intentId, request, payload));
        }
        return true;
    }

    private static ObjectNode option(String id, String name, String kind) {
        return BrokerJson.object().put("optionId", id).put("name", name).put("kind", kind);
    }

    private void ended(String requestId, Intent intent) {
        Waiting w = waiting.remove(requestId);
        if (w == null) {
            return;
        }
        JsonNode result = intent.resolution() == null ? null : intent.resolution().result();
        String comment = intent.resolution() == null ? null : intent.resolution().comment();
        String chosen = PermissionIntent.chosenOption(intent);
        ObjectNode answer = BrokerJson.object();
        if ("allow".equals(chosen)) {
            answer.put("behavior", "allow");
            JsonNode updated = result.get("updatedInput");
            answer.set("updatedInput", updated instanceof ObjectNode ? updated : w.request().get("input"));
        } else {
            String message = "deny".equals(chosen) ? BrokerJson.string(result, "message") : null;
            if (message == null && intent.status() != IntentStatus.COMPLETED) {
                message = "the permission request was " + intent.status().wire() + (comment == null ? "" : ": " + comment);
            }
            answer.put("behavior", "deny").put("message", message != null ? message : comment != null ? comment : "denied");
        }
        ObjectNode line = BrokerJson.object().put("type", "control_response");
        line.putObject("response").put("subtype", "success").put("request_id", requestId).set("response", answer);
        host.send(BrokerJson.text(line));
        answered.add(requestId);
        if (answered.size() > MAX_ANSWERED) {
            Iterator<String> oldest = answered.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * A client's {@code control_response} {@code line} (event {@code e}) is about to be relayed: false when its
     * request was answered by its intent already (it is not relayed); else its intent, if any, is resolved with it.
     */
    boolean clientAnswers(ObjectNode line, Event e) {
        JsonNode response = line.get("response");
        String id = BrokerJson.string(response, "request_id");
        if (id == null) {
            return true;
        }
        if (answered.remove(id)) {
            return false;
        }
        Waiting w = waiting.remove(id);
        if (w != null) {
            JsonNode answer = response.get("response");
            boolean valid = "success".equals(BrokerJson.string(response, "subtype"))
                    && PermissionIntent.answers(w.payload(), answer);
            host.resolveIntent(w.intentId(), valid ? Outcome.COMPLETED : Outcome.FAILED,
                    answer == null ? response : answer, "answered by the client's control_response event #" + e.sequence());
        }
        return true;
    }

    /** The agent withdrew its request {@code requestId} ({@code control_cancel_request}). */
    void withdrawn(String requestId) {
        Waiting w = waiting.remove(requestId);
        if (w != null) {
            host.cancelIntent(w.intentId(), "the agent withdrew the request");
        }
    }

    /** The turn ended, or the agent is gone ({@code why}): no open request will be answered. */
    void endAll(String why) {
        List<Waiting> open = List.copyOf(waiting.values());
        waiting.clear();
        for (Waiting w : open) {
            host.cancelIntent(w.intentId(), why);
        }
    }

    /** A new agent process: answers remembered for the old one mean nothing to it. */
    void forgetAnswered() {
        answered.clear();
    }
}
