package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.MyelinException;
import java.util.ArrayList;
import java.util.List;

/**
 * The intents a broker opens for an agent's permission requests (kind {@value #KIND}, waiting for a human), and the
 * resolutions they take. The payload keeps the protocol's own names ({@code optionId}, {@code toolCall} inside):
 * <pre>
 * {tool_call, options: [{optionId, name, kind}], session_id, request: the agent's params as sent}
 * </pre>
 * (for Claude Code's {@code can_use_tool}: {@code tool_call} is the request's {@code {tool_name, input, tool_use_id,
 * description}}, the options {@code allow} and {@code deny}, which {@code result.behavior} may name as well).
 * A permission intent that offers options is resolved ({@code approved}, {@code rejected} or {@code completed}) with
 * either {@code result: {option_id}} naming one of them, or ACP's own answer ({@code {outcome: {outcome: "selected",
 * optionId}}} naming one, or {@code {outcome: {outcome: "cancelled"}}}); anything else is refused at resolve time
 * (400 naming {@code result.option_id}), so the agent is never handed an option it did not offer. {@code failed},
 * like a cancel or an expiry, answers the agent {@code cancelled} and takes any result. Stateless.
 */
public final class PermissionIntent {
    /** The kind of the intents a broker opens for permission requests. */
    public static final String KIND = "permission";

    private PermissionIntent() {}

    /**
     * Refuses a resolution the agent could not be answered with.
     *
     * @throws MyelinException 400 naming {@code result.option_id} (or {@code result.outcome}) when {@code intent} is
     *                         a permission intent offering options and {@code result} names none of them
     */
    public static void checkResolution(Intent intent, Outcome outcome, JsonNode result) {
        List<String> offered = options(intent.kind(), intent.payload());
        if (offered == null || outcome == Outcome.FAILED) {
            return;
        }
        String refusal = refusal(offered, result);
        if (refusal != null) {
            throw MyelinException.invalid(isAcpAnswer(result) ? "result.outcome" : "result.option_id", refusal);
        }
    }

    /**
     * Whether {@code result} answers a permission request whose intent payload is {@code payload} with an option it
     * offered, or with ACP's {@code cancelled} (what {@link #checkResolution} lets through for a completed one).
     */
    public static boolean answers(JsonNode payload, JsonNode result) {
        List<String> offered = options(KIND, payload);
        return offered != null && refusal(offered, result) == null;
    }

    /** Why {@code result} cannot resolve a request offering {@code offered}, or null when it can. */
    private static String refusal(List<String> offered, JsonNode result) {
        if (isAcpAnswer(result)) {
            JsonNode acp = result.get("outcome");
            if ("cancelled".equals(text(acp, "outcome")) || ("selected".equals(text(acp, "outcome"))
                    && offered.contains(text(acp, "optionId")))) {
                return null;
            }
            return "result.outcome must be ACP's {\"outcome\": \"selected\", \"optionId\": one of " + offered
                    + "} or {\"outcome\": \"cancelled\"}; got " + acp;
        }
        String chosen = chosen(result);
        if (chosen == null) {
            return "a permission request is resolved with result.option_id naming one of the options offered: "
                    + offered + " (or with outcome failed, or cancelled, to refuse it)";
        }
        return offered.contains(chosen) ? null
                : "result.option_id \"" + chosen + "\" is not one of the options offered: " + offered;
    }

    private static boolean isAcpAnswer(JsonNode result) {
        return result != null && result.get("outcome") instanceof ObjectNode && !result.has("option_id");
    }

    /**
     * ACP's answer to the agent for an intent that ended: {@code {outcome: {outcome: "selected", optionId}}} for a
     * completed one that chose an offered option ({@link #chosenOption}), {@code {outcome: {outcome: "cancelled"}}}
     * for one that did not complete or completed with ACP's {@code cancelled}. Null when it completed choosing no
     * offered option (an intent made without options): the agent is answered {@code cancelled} and the caller says
     * why.
     */
    public static ObjectNode acpAnswer(Intent ended) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        JsonNode result = ended.resolution() == null ? null : ended.resolution().result();
        if (ended.status() != IntentStatus.COMPLETED
                || (isAcpAnswer(result) && "cancelled".equals(text(result.get("outcome"), "outcome")))) {
            answer.putObject("outcome").put("outcome", "cancelled");
            return answer;
        }
        String chosen = chosenOption(ended);
        if (chosen == null) {
            return null;
        }
        answer.putObject("outcome").put("outcome", "selected").put("optionId", chosen);
        return answer;
    }

    /**
     * The option a completed permission intent chose ({@code result.option_id}, Claude's {@code result.behavior}, or
     * ACP's selected {@code optionId}) when it is one it offered; else null (it did not complete, or chose none).
     */
    public static String chosenOption(Intent ended) {
        JsonNode result = ended.status() != IntentStatus.COMPLETED || ended.resolution() == null ? null
                : ended.resolution().result();
        List<String> offered = options(ended.kind(), ended.payload());
        String chosen = isAcpAnswer(result) && "selected".equals(text(result.get("outcome"), "outcome"))
                ? text(result.get("outcome"), "optionId") : chosen(result);
        return chosen != null && offered != null && offered.contains(chosen) ? chosen : null;
    }

    /**
     * {@code result.option_id} (or {@code optionId}, the payload's own spelling), or Claude's {@code result.behavior}
     * ({@code allow}, {@code deny}) in its place.
     */
    private static String chosen(JsonNode result) {
        if (result == null) {
            return null;
        }
        String id = text(result, "option_id");
        if (id == null) {
            id = text(result, "optionId");
        }
        return id != null ? id : text(result, "behavior");
    }

    /**
     * The result a resolution of a permission intent stores: {@code result} as given, or — when it names no option
     * and the outcome says which way — the first offered option of that kind added as {@code option_id}: for
     * {@code approved} the first whose ACP {@code kind} starts with {@code allow} (or whose id is Claude's
     * {@code allow}), for {@code rejected} the first {@code reject…} (or {@code deny}). So {@code myelin intents
     * approve} answers an agent the way a person clicking "Allow" would.
     */
    public static JsonNode withDefaultOption(Intent intent, Outcome outcome, JsonNode result) {
        JsonNode offered = PermissionIntent.KIND.equals(intent.kind()) && intent.payload() != null
                ? intent.payload().get("options") : null;
        if (offered == null || !offered.isArray() || chosen(result) != null || isAcpAnswer(result)
                || (result != null && !result.isObject())) {
            return result;
        }
        String prefix = outcome == Outcome.APPROVED ? "allow" : outcome == Outcome.REJECTED ? "reject" : null;
        String claude = outcome == Outcome.APPROVED ? "allow" : "deny";
        if (prefix == null) {
            return result;
        }
        for (JsonNode o : offered) {
            String id = text(o, "optionId");
            String kind = text(o, "kind");
            if (id != null && ((kind != null && kind.startsWith(prefix)) || id.equals(claude))) {
                ObjectNode out = result == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) result).deepCopy();
                return out.put("option_id", id);
            }
        }
        return result;
    }

    /** The {@code optionId}s a permission intent offers, or null when it is not one or offers none. */
    private static List<String> options(String kind, JsonNode payload) {
        if (!KIND.equals(kind) || payload == null || !(payload.get("options") instanceof ArrayNode list)) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode o : list) {
            String id = text(o, "optionId");
            if (id != null) {
                ids.add(id);
            }
        }
        return ids.isEmpty() ? null : ids;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
