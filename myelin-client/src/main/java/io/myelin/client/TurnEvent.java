package io.myelin.client;

import java.util.List;

/**
 * A typed view of the events a broker puts on an axon around an agent's turns: what the broker says about the turn
 * and the agent ({@code SYSTEM_EVENT}s), and what the agent says, in either protocol ({@code AGENT_EVENT}s). Read
 * them with {@link TurnEvents#of(AxonEvent)}; every variant keeps the {@link AxonEvent} it was read from.
 *
 * <p>Names follow the protocols: ACP's {@code session/update} kinds ({@code agent_message_chunk},
 * {@code tool_call}, {@code tool_call_update}, ...) and Runloop's broker events ({@code turn.started},
 * {@code turn.completed}, ...). The wire shape each variant is read from is on the variant. Values are immutable.
 */
public sealed interface TurnEvent {
    /** The event this was read from (its sequence, time, origin and raw payload). */
    AxonEvent event();

    /**
     * A turn started: {@code SYSTEM_EVENT turn.started {turn_id}}. A turn's id is {@code turn_<sequence>} of the
     * event that started it.
     */
    record TurnStarted(AxonEvent event, String turnId) implements TurnEvent {
    }

    /**
     * A turn ended: {@code SYSTEM_EVENT turn.completed {turn_id, stop_reason}}. The stop reason is the agent's
     * (ACP {@code end_turn}, {@code max_tokens}, {@code max_turn_requests}, {@code refusal}) or
     * {@code cancelled} when a client cancelled the turn; there is no separate cancelled event.
     */
    record TurnCompleted(AxonEvent event, String turnId, String stopReason) implements TurnEvent {
        /** The stop reason every cancelled turn ends with. */
        public static final String CANCELLED = "cancelled";

        /** Whether a client cancelled the turn ({@code session/cancel}, a Claude interrupt, {@code turn.cancel}). */
        public boolean cancelled() {
            return CANCELLED.equals(stopReason);
        }
    }

    /**
     * A turn failed: {@code SYSTEM_EVENT turn.failed {turn_id, error, stop_reason}}, e.g. the agent exited, or
     * {@code error: "broker restarted"} for a turn that was running when its broker died.
     */
    record TurnFailed(AxonEvent event, String turnId, String error, String stopReason) implements TurnEvent {
    }

    /**
     * Text the agent wrote, one piece of a running text: ACP {@code session/update} with
     * {@code update.sessionUpdate} {@code agent_message_chunk} (or {@code agent_thought_chunk}: {@code thought}) and
     * a text {@code update.content}; Claude {@code assistant} line, one per {@code text} (or {@code thinking})
     * block of {@code message.content}. Pieces are parts of one text: join them without separators.
     */
    record AgentText(AxonEvent event, String text, boolean thought) implements TurnEvent {
    }

    /**
     * The agent calls a tool: ACP {@code session/update} {@code tool_call} ({@code toolCallId, title, kind, status,
     * rawInput}); Claude {@code assistant} line, one per {@code tool_use} block ({@code id}, {@code name} as the
     * title, {@code input}; no kind or status).
     *
     * @param kind     ACP tool kind ({@code read}, {@code edit}, {@code execute}, ...), or null
     * @param status   ACP {@code pending}, {@code in_progress}, {@code completed}, {@code failed}, or null
     * @param rawInput the tool's input as JSON text, or null
     */
    record ToolCall(AxonEvent event, String toolCallId, String title, String kind, String status, String rawInput)
            implements TurnEvent {
    }

    /**
     * A tool call moved on: ACP {@code session/update} {@code tool_call_update} ({@code toolCallId} and whichever
     * of {@code title, kind, status} changed; the others null).
     */
    record ToolCallUpdate(AxonEvent event, String toolCallId, String title, String kind, String status)
            implements TurnEvent {
    }

    /**
     * The agent asks for permission and waits for a client's answer:
     * <ul>
     *   <li>ACP {@code session/request_permission {sessionId, toolCall: {toolCallId, title}, options: [{optionId,
     *       name, kind}]}}: answer with a {@code USER_EVENT session/request_permission {"outcome": {"outcome":
     *       "selected", "optionId": ...}}};</li>
     *   <li>Claude {@code control_request {request_id, request: {subtype: "can_use_tool", tool_name, input,
     *       tool_use_id}}} ({@code requestId} set, no options): answer with a {@code USER_EVENT control_response
     *       {"type": "control_response", "response": {"subtype": "success", "request_id": ..., "response":
     *       {"behavior": "allow", "updatedInput": ...}}}} (or {@code "behavior": "deny", "message": ...}).</li>
     * </ul>
     *
     * @param protocol   {@code acp} or {@code claude_json}
     * @param requestId  Claude's {@code request_id}, or null for ACP (the broker matches ACP answers itself)
     * @param toolCallId the tool call it is about, or null
     * @param title      what the agent wants to do (ACP tool call title, Claude tool name), or null
     * @param options    ACP's options to choose from; empty for Claude
     * @param rawInput   Claude's tool input as JSON text, or null
     */
    record PermissionRequest(AxonEvent event, String protocol, String requestId, String toolCallId, String title,
                             List<PermissionOption> options, String rawInput) implements TurnEvent {
        public PermissionRequest {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** One ACP permission option: {@code {optionId, name, kind}}, kind {@code allow_once}, {@code reject_once}, .... */
    record PermissionOption(String optionId, String name, String kind) {
    }

    /**
     * The agent's own end of a turn: ACP's answer to {@code session/prompt} ({@code {stopReason}}, or a JSON-RPC
     * error {@code {code, message}}: {@code isError}, the message as {@code text}); Claude's {@code result} line
     * ({@code subtype}, {@code is_error}, {@code result} text, {@code stop_reason}). The broker's
     * {@link TurnCompleted} or {@link TurnFailed} follows.
     *
     * @param stopReason ACP {@code stopReason} or Claude {@code stop_reason}, or null
     * @param subtype    Claude's {@code success}, {@code error_during_execution}, ...; null for ACP
     * @param text       Claude's final {@code result} text or the ACP error message, or null
     */
    record AgentResult(AxonEvent event, String stopReason, String subtype, boolean isError, String text)
            implements TurnEvent {
    }

    /** The broker could not start the agent: {@code SYSTEM_EVENT broker.error {message}}. */
    record BrokerError(AxonEvent event, String message) implements TurnEvent {
    }

    /**
     * The agent failed: {@code SYSTEM_EVENT agent.error {devbox_id, type, message}}, type e.g. {@code agent_exited},
     * {@code restore_failed}.
     */
    record AgentError(AxonEvent event, String devboxId, String type, String message) implements TurnEvent {
    }

    /** A line the agent wrote to its log: {@code SYSTEM_EVENT agent.log {log_type: "stderr", message}}. */
    record AgentLog(AxonEvent event, String logType, String message) implements TurnEvent {
    }

    /**
     * The devbox running the agent changed status: {@code SYSTEM_EVENT devbox.running}, {@code devbox.suspended},
     * {@code devbox.shutdown}, {@code devbox.failed}, payload {@code {devbox_id, reason?}}.
     *
     * @param status {@code running}, {@code suspended}, {@code shutdown} or {@code failed}
     */
    record DevboxLifecycle(AxonEvent event, String devboxId, String status, String reason) implements TurnEvent {
    }
}
