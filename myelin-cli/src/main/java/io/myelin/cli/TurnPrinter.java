package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.AxonEvent;
import io.myelin.client.Origin;
import io.myelin.client.TurnEvent;
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
import io.myelin.client.TurnEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code myelin exec}'s readable view of a turn, from the client's {@link TurnEvents}: the agent's text as running
 * text (its thoughts dimmed on a colour terminal, left out otherwise), each tool call and tool call update as one
 * line, permission requests with the command that answers them, Claude's {@code result}, and the turn's end with
 * its stop reason. Events with nothing for a reader (protocol answers, a client's requests) are counted, and
 * {@link #finish} says how many were left out.
 *
 * <p>Threading: one thread (the command's) calls it; output goes through the {@link StatusLine}.
 */
final class TurnPrinter {
    private static final String DIM = "\033[2m";
    private static final String RESET = "\033[0m";
    private static final int MAX_INPUT_CHARS = 100;

    private final StatusLine out;
    private final boolean color;
    private final String axonId;
    /** Titles of the tool calls seen, by id: an update often carries only the id and the new status. */
    private final Map<String, String> toolTitles = new HashMap<>();
    private boolean inThought;
    /** The last output was a line of its own (a tool call, ...): text after it starts a new line. */
    private boolean afterLine = true;
    private int hidden;

    TurnPrinter(StatusLine out, boolean color, String axonId) {
        this.out = out;
        this.color = color;
        this.axonId = axonId;
    }

    void print(AxonEvent e) {
        if (e.origin() == Origin.SYSTEM_EVENT && "intent.created".equals(e.eventType()) && permissionIntent(e)) {
            return;
        }
        List<TurnEvent> typed = TurnEvents.of(e);
        if (typed.isEmpty() && e.origin() != Origin.SYSTEM_EVENT && ExecCommand.TURN_END_TYPES.contains(e.eventType())) {
            // an agent of its own that ends its turns itself (no broker): shown like the broker's end
            JsonNode p = CliJson.tryParse(e.payload());
            String stop = p == null ? null : p.path("stop_reason").textValue();
            typed = List.of(e.eventType().equals("turn.failed")
                    ? new TurnFailed(e, null, p == null ? null : p.path("error").textValue(), stop)
                    : new TurnCompleted(e, null, stop));
        }
        if (typed.isEmpty()) {
            hidden++;
        }
        typed.forEach(this::print);
    }

    /** Ends the open line, and says how many events were not shown. */
    void finish() {
        out.endLine();
        if (hidden > 0) {
            out.println(dim("(" + hidden + (hidden == 1 ? " event" : " events") + " not shown; --raw shows every event)"));
        }
    }

    private void print(TurnEvent t) {
        switch (t) {
            case AgentText x -> text(x);
            case ToolCall c -> {
                if (c.toolCallId() != null && c.title() != null) {
                    toolTitles.put(c.toolCallId(), c.title());
                }
                line("[tool] " + orDash(c.title()) + kindAndStatus(c.kind(), c.status()) + input(c.kind(), c.rawInput()));
            }
            case ToolCallUpdate u -> {
                String title = u.title() != null ? u.title() : toolTitles.getOrDefault(u.toolCallId(), u.toolCallId());
                line("[tool] " + orDash(title) + kindAndStatus(u.kind(), u.status()));
            }
            case PermissionRequest r -> permission(r);
            case AgentResult r -> {
                if (r.subtype() != null) {
                    line("[result] " + r.subtype() + (r.isError() ? " (error)" : ""));
                } else if (r.isError()) {
                    line("[result] error: " + orDash(r.text()));
                }
            }
            case TurnStarted s -> {
                // the status line says a turn is under way; its end says how it went
            }
            case TurnCompleted c -> line(c.cancelled() ? "[turn cancelled]"
                    : "[turn completed" + (c.stopReason() == null ? "]" : ": " + c.stopReason() + "]"));
            case TurnFailed f -> line("[turn failed: " + orDash(f.error())
                    + (f.stopReason() == null ? "]" : " (" + f.stopReason() + ")]"));
            case BrokerError b -> line("[broker error] " + orDash(b.message()));
            case AgentError a -> line("[agent error] " + orDash(a.type()) + ": " + orDash(a.message()));
            case AgentLog l -> line(dim("[agent " + orDash(l.logType()) + "] " + orDash(l.message())));
            case DevboxLifecycle d -> line(dim("[devbox " + d.devboxId() + " " + d.status()
                    + (d.reason() == null ? "]" : ": " + d.reason() + "]")));
        }
    }

    private void text(AgentText x) {
        if (x.thought() && !color) {
            return;
        }
        if (x.thought() != inThought) {
            out.endLine();
            inThought = x.thought();
            afterLine = true;
        }
        // a chunk that continues a sentence starts with a space, which a fresh line does not need
        String text = afterLine ? x.text().replaceFirst("^ +", "") : x.text();
        afterLine = false;
        out.print(x.thought() ? DIM + text + RESET : text);
    }

    private void permission(PermissionRequest r) {
        if ("claude_json".equals(r.protocol())) {
            line("[permission] " + orDash(r.title()) + input(null, r.rawInput()));
            String input = r.rawInput() == null ? "{}" : r.rawInput();
            String allow = "{\"type\":\"control_response\",\"response\":{\"subtype\":\"success\",\"request_id\":"
                    + quote(r.requestId()) + ",\"response\":{\"behavior\":\"allow\",\"updatedInput\":" + input + "}}}";
            out.println("  allow: myelin publish " + axonId + " --type control_response --payload " + shellQuote(allow));
            out.println("  deny:  myelin publish " + axonId + " --type control_response --payload "
                    + shellQuote(allow.replace("\"behavior\":\"allow\",\"updatedInput\":" + input,
                    "\"behavior\":\"deny\",\"message\":\"denied by the user\"")));
            return;
        }
        String options = r.options().stream().map(o -> o.optionId() + (o.name() == null ? "" : " (" + o.name() + ")"))
                .collect(Collectors.joining(", "));
        line("[permission] " + orDash(r.title()) + (options.isEmpty() ? "" : "; options: " + options));
        String option = r.options().isEmpty() ? "OPTION_ID" : r.options().stream().map(PermissionOption::optionId)
                .findFirst().orElseThrow();
        out.println("  answer: myelin publish " + axonId + " --type session/request_permission --payload "
                + shellQuote("{\"outcome\":{\"outcome\":\"selected\",\"optionId\":" + quote(option) + "}}"));
    }

    /**
     * The broker follows each permission request with a {@code permission} intent ({@code intent.created}): prints
     * the commands that answer the request through it, and whether the event was one.
     */
    private boolean permissionIntent(AxonEvent e) {
        JsonNode p = CliJson.tryParse(e.payload());
        if (p == null || !"permission".equals(p.path("kind").textValue()) || p.path("id").textValue() == null) {
            return false;
        }
        String id = p.path("id").textValue();
        out.println("  or:     myelin intents approve " + id + "   (myelin intents reject " + id + ")");
        return true;
    }

    private void line(String text) {
        out.endLine();
        inThought = false;
        afterLine = true;
        out.println(text);
    }

    private String dim(String text) {
        return color ? DIM + text + RESET : text;
    }

    private static String kindAndStatus(String kind, String status) {
        return (kind == null ? "" : " (" + kind + ")") + (status == null ? "" : " " + status);
    }

    /** A tool's input, shortened, when the call has no ACP kind to say what it does. */
    private static String input(String kind, String rawInput) {
        if (kind != null || rawInput == null || rawInput.equals("{}")) {
            return "";
        }
        String oneLine = rawInput.replace('\n', ' ');
        return " " + (oneLine.length() > MAX_INPUT_CHARS ? oneLine.substring(0, MAX_INPUT_CHARS) + "…" : oneLine);
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String quote(String s) {
        return CliJson.MAPPER.getNodeFactory().textNode(s == null ? "" : s).toString();
    }

    /** {@code s} as one POSIX shell word. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
