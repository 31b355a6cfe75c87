package io.myelin.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.TurnEvent.AgentError;
import io.myelin.client.TurnEvent.AgentLog;
import io.myelin.client.TurnEvent.AgentResult;
import io.myelin.client.TurnEvent.AgentText;
import io.myelin.client.TurnEvent.BrokerError;
import io.myelin.client.TurnEvent.DevboxLifecycle;
import io.myelin.client.TurnEvent.PermissionOption;
import io.myelin.client.TurnEvent.PermissionRequest;
import io.myelin.client.TurnEvent.ToolCall;
import io.myelin.client.TurnEvent.ToolCallUpdate;
import io.myelin.client.TurnEvent.TurnCompleted;
import io.myelin.client.TurnEvent.TurnFailed;
import io.myelin.client.TurnEvent.TurnStarted;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link TurnEvent}s from axon events (the wire shapes are on each variant).
 *
 * <pre>{@code
 * for (TurnEvent t : TurnEvents.of(sub.poll(timeout).orElseThrow())) {
 *     switch (t) {
 *         case TurnEvent.AgentText x when !x.thought() -> System.out.print(x.text());
 *         case TurnEvent.TurnCompleted c -> System.out.println("[" + c.stopReason() + "]");
 *         default -> { }
 *     }
 * }
 * }</pre>
 *
 * <p>The broker's events count only with origin {@code SYSTEM_EVENT} and the agent's only with origin
 * {@code AGENT_EVENT}: a client cannot publish a turn's end. Thread-safe (stateless).
 */
public final class TurnEvents {
    private TurnEvents() {
    }

    /**
     * What {@code e} says about a turn, in order: usually one value; none for an event that is not one of the
     * shapes above (a client's request, a protocol answer with nothing for a reader, a payload that is not JSON);
     * several for a Claude {@code assistant} line with several content blocks. Never throws for any payload.
     */
    public static List<TurnEvent> of(AxonEvent e) {
        return switch (e.origin()) {
            case SYSTEM_EVENT -> system(e);
            case AGENT_EVENT -> e.eventType().contains("/") ? acp(e) : claude(e);
            default -> List.of();
        };
    }

    private static List<TurnEvent> system(AxonEvent e) {
        String type = e.eventType();
        if (!type.startsWith("turn.") && !type.startsWith("agent.") && !type.startsWith("broker.")
                && !type.startsWith("devbox.")) {
            return List.of();
        }
        JsonNode p = payload(e);
        if (p == null) {
            return List.of();
        }
        TurnEvent t = switch (type) {
            case "turn.started" -> new TurnStarted(e, text(p, "turn_id"));
            case "turn.completed" -> new TurnCompleted(e, text(p, "turn_id"), text(p, "stop_reason"));
            case "turn.failed" -> new TurnFailed(e, text(p, "turn_id"), text(p, "error"), text(p, "stop_reason"));
            case "broker.error" -> new BrokerError(e, text(p, "message"));
            case "agent.error" -> new AgentError(e, text(p, "devbox_id"), text(p, "type"), text(p, "message"));
            case "agent.log" -> new AgentLog(e, text(p, "log_type"), text(p, "message"));
            case "devbox.running", "devbox.suspended", "devbox.shutdown", "devbox.failed" ->
                    new DevboxLifecycle(e, text(p, "devbox_id"), type.substring("devbox.".length()), text(p, "reason"));
            default -> null;
        };
        return t == null ? List.of() : List.of(t);
    }

    private static List<TurnEvent> acp(AxonEvent e) {
        JsonNode p = payload(e);
        if (p == null) {
            return List.of();
        }
        return switch (e.eventType()) {
            case "session/update" -> sessionUpdate(e, p.path("update"));
            case "session/request_permission" -> {
                List<PermissionOption> options = new ArrayList<>();
                for (JsonNode o : p.path("options")) {
                    options.add(new PermissionOption(text(o, "optionId"), text(o, "name"), text(o, "kind")));
                }
                JsonNode call = p.path("toolCall");
                yield List.of(new PermissionRequest(e, "acp", null, text(call, "toolCallId"), text(call, "title"),
                        options, json(call.get("rawInput"))));
            }
            case "session/prompt" -> p.has("stopReason") || p.has("code")
                    ? List.of(new AgentResult(e, text(p, "stopReason"), null, p.has("code"), text(p, "message")))
                    : List.of();
            default -> List.of();
        };
    }

    private static List<TurnEvent> sessionUpdate(AxonEvent e, JsonNode u) {
        return switch (text(u, "sessionUpdate") == null ? "" : text(u, "sessionUpdate")) {
            case "agent_message_chunk", "agent_thought_chunk" -> {
                JsonNode content = u.path("content");
                String text = "text".equals(text(content, "type")) ? text(content, "text") : null;
                yield text == null ? List.of()
                        : List.of(new AgentText(e, text, "agent_thought_chunk".equals(text(u, "sessionUpdate"))));
            }
            case "tool_call" -> List.of(new ToolCall(e, text(u, "toolCallId"), text(u, "title"), text(u, "kind"),
                    text(u, "status"), json(u.get("rawInput"))));
            case "tool_call_update" -> List.of(new ToolCallUpdate(e, text(u, "toolCallId"), text(u, "title"),
                    text(u, "kind"), text(u, "status")));
            default -> List.of();
        };
    }

    private static List<TurnEvent> claude(AxonEvent e) {
        JsonNode p = payload(e);
        if (p == null) {
            return List.of();
        }
        return switch (e.eventType()) {
            case "assistant" -> {
                List<TurnEvent> out = new ArrayList<>();
                for (JsonNode block : p.path("message").path("content")) {
                    String type = text(block, "type");
                    if ("text".equals(type) && text(block, "text") != null) {
                        out.add(new AgentText(e, text(block, "text"), false));
                    } else if ("thinking".equals(type) && text(block, "thinking") != null) {
                        out.add(new AgentText(e, text(block, "thinking"), true));
                    } else if ("tool_use".equals(type)) {
                        out.add(new ToolCall(e, text(block, "id"), text(block, "name"), null, null,
                                json(block.get("input"))));
                    }
                }
                yield out;
            }
            case "control_request" -> {
                JsonNode r = p.path("request");
                yield "can_use_tool".equals(text(r, "subtype"))
                        ? List.of(new PermissionRequest(e, "claude_json", text(p, "request_id"), text(r, "tool_use_id"),
                                text(r, "tool_name"), List.of(), json(r.get("input"))))
                        : List.of();
            }
            case "result" -> List.of(new AgentResult(e, text(p, "stop_reason"), text(p, "subtype"),
                    p.path("is_error").asBoolean(false), text(p, "result")));
            default -> List.of();
        };
    }

    /** The payload as a JSON object, or null when it is not one. */
    private static JsonNode payload(AxonEvent e) {
        try {
            JsonNode n = Json.MAPPER.readTree(e.payload());
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException | RuntimeException ex) {
            return null;
        }
    }

    /** A text field, or null when absent or not text. */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String json(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.toString();
    }
}
