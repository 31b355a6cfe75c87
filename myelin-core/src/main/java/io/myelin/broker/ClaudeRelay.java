package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.stream.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Claude Code relay ({@code claude --output-format stream-json --input-format stream-json --verbose}), in the
 * shape of Runloop's broker as the remote-agents client's {@code AxonTransport} uses it:
 *
 * <ul>
 *   <li>a client's {@code USER_EVENT} {@code query} carries one {@code user} line and starts a turn;
 *       {@code control_request} and {@code control_response} lines are written at once (an {@code interrupt}
 *       request cancels the running turn);</li>
 *   <li>every line the agent writes is published as an {@code AGENT_EVENT} whose {@code event_type} is the line's
 *       {@code type} ({@code system}, {@code assistant}, {@code user}, {@code result}, {@code stream_event},
 *       {@code control_request}, ...) and whose payload is the line itself; a {@code result} line ends the turn;</li>
 *   <li>any other event type (a plain message such as {@code message {text}}) also starts a turn, written as a
 *       {@code user} line with the text;</li>
 *   <li>a {@code can_use_tool} control request of the agent also waits as a human intent, which answers it too
 *       ({@link ClaudePermissions}).</li>
 * </ul>
 *
 * <p><b>Restore.</b> The session id Claude reports ({@code session_id} on its lines) is kept durably; a restarted
 * agent is launched with {@code --resume <session_id>} and gets the client's last {@code initialize} control
 * request again, whose answer is not published (no client waits for it).
 */
final class ClaudeRelay implements Relay {
    private static final Logger log = LoggerFactory.getLogger(ClaudeRelay.class);
    /** The flags the broker adds to the command when it does not carry them already. */
    static final List<List<String>> FLAGS = List.of(List.of("--output-format", "stream-json"),
            List.of("--input-format", "stream-json"), List.of("--verbose"));
    private static final Set<String> CONTROL = Set.of("control_request", "control_response", "control_cancel_request",
            "keep_alive", "update_environment_variables");

    private final RelayHost host;
    private final ClaudePermissions permissions;
    /** Request ids of control requests the broker sent itself: their answers are not published. */
    private final Set<String> own = new HashSet<>();
    /** Clients' control requests waiting for the agent's answer, by request id. */
    private final Map<String, Event> inFlight = new LinkedHashMap<>();
    private String sessionId;
    private ObjectNode initialize;
    private long nextRequest;

    ClaudeRelay(RelayHost host) {
        this.host = host;
        this.permissions = new ClaudePermissions(host);
    }

    @Override
    public List<String> argv(List<String> command) {
        List<String> argv = new ArrayList<>(command);
        for (List<String> flag : FLAGS) {
            if (!argv.contains(flag.get(0))) {
                argv.addAll(flag);
            }
        }
        if (sessionId != null && !argv.contains("--resume")) {
            argv.add("--resume");
            argv.add(sessionId);
        }
        return argv;
    }

    @Override
    public void restore(BrokerState state) {
        sessionId = state.sessionId();
        ObjectNode ctx = BrokerJson.object(state.context());
        initialize = ctx != null && ctx.get("initialize") instanceof ObjectNode o ? o : null;
    }

    @Override
    public Kind classify(Event e) {
        String type = e.eventType();
        if (type.equals("query")) {
            return Kind.TURN;
        }
        if (type.equals("turn.cancel")) {
            return Kind.CANCEL;
        }
        if (type.equals("control_request")) {
            ObjectNode line = BrokerJson.object(e.payload());
            return "interrupt".equals(BrokerJson.string(line == null ? null : line.get("request"), "subtype"))
                    ? Kind.CANCEL : Kind.RELAY;
        }
        return CONTROL.contains(type) ? Kind.RELAY : Kind.TURN;
    }

    @Override
    public void started() {
        if (initialize != null) {
            ObjectNode again = initialize.deepCopy();
            again.put("request_id", ownRequestId("restore"));
            host.send(BrokerJson.text(again));
        }
        host.ready();
    }

    @Override
    public void startTurn(Turn turn) {
        Event e = turn.trigger();
        if (e.eventType().equals("query")) {
            ObjectNode line = BrokerJson.object(e.payload());
            if (line == null) {
                host.turnFailed("the query payload is not a JSON object (a stream-json user line)", "error");
                return;
            }
            host.send(BrokerJson.text(line));
            return;
        }
        ObjectNode user = BrokerJson.object().put("type", "user");
        ObjectNode message = user.putObject("message").put("role", "user");
        message.putArray("content").addObject().put("type", "text").put("text", BrokerJson.plainText(e.payload()));
        user.putNull("parent_tool_use_id");
        user.put("session_id", sessionId == null ? "" : sessionId);
        host.send(BrokerJson.text(user));
    }

    @Override
    public void relay(Event e) {
        JsonNode parsed = BrokerJson.parse(e.payload());
        if (!(parsed instanceof ObjectNode line)) {
            log.debug("{} #{} on {} is not a JSON object; not relayed", e.eventType(), e.sequence(), e.axonId());
            host.agentError("invalid_input", BrokerJson.notAnObject(e, parsed)
                    + " (a stream-json line); not relayed to the agent");
            return;
        }
        if (e.eventType().equals("control_request")) {
            String id = BrokerJson.string(line, "request_id");
            if (id != null) {
                inFlight.put(id, e);
            }
            if ("initialize".equals(BrokerJson.string(line.get("request"), "subtype"))) {
                initialize = line.deepCopy();
                host.sessionChanged(sessionId, context());
            }
        } else if (e.eventType().equals("control_response") && !permissions.clientAnswers(line, e)) {
            log.debug("control_response #{} answers a request its intent answered; dropped", e.sequence());
            return;
        }
        host.send(BrokerJson.text(line));
    }

    @Override
    public void cancel(Turn running, Event e) {
        if (e.eventType().equals("control_request")) {
            relay(e);
            return;
        }
        if (running == null) {
            return;
        }
        ObjectNode interrupt = BrokerJson.object().put("type", "control_request").put("request_id", ownRequestId("interrupt"));
        interrupt.putObject("request").put("subtype", "interrupt");
        host.send(BrokerJson.text(interrupt));
    }

    private String ownRequestId(String what) {
        String id = "myelin_" + what + "_" + nextRequest++;
        own.add(id);
        return id;
    }

    @Override
    public void agentLine(String line) {
        ObjectNode msg = BrokerJson.object(line);
        String type = BrokerJson.string(msg, "type");
        if (type == null) {
            host.agentNoise(line);
            return;
        }
        Event answering = null;
        if (type.equals("control_response")) {
            String id = BrokerJson.string(msg.get("response"), "request_id");
            if (id != null && own.remove(id)) {
                return;
            }
            answering = id == null ? null : inFlight.remove(id);
        }
        String sid = BrokerJson.string(msg, "session_id");
        if (sid != null && !sid.isEmpty() && !sid.equals(sessionId)) {
            sessionId = sid;
            host.sessionChanged(sessionId, context());
        }
        if (type.equals("control_cancel_request")) {
            permissions.withdrawn(BrokerJson.string(msg, "request_id"));
        }
        if (!permissions.asked(msg, line)) {
            host.publish(type, line, answering);
        }
        if (answering != null) {
            host.answered(answering);
        }
        if (type.equals("result")) {
            permissions.endAll("the turn ended");
            String subtype = BrokerJson.string(msg, "subtype");
            boolean failed = msg.path("is_error").asBoolean(false) || (subtype != null && subtype.startsWith("error"));
            if (failed) {
                host.turnFailed(errorOf(msg, subtype), subtype == null ? "error" : subtype);
            } else {
                String stop = BrokerJson.string(msg, "stop_reason");
                host.turnCompleted(stop == null ? "end_turn" : stop);
            }
        }
    }

    private static String errorOf(ObjectNode result, String subtype) {
        String text = BrokerJson.string(result, "result");
        if (text != null && !text.isEmpty()) {
            return text;
        }
        JsonNode errors = result.get("errors");
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
            List<String> all = new ArrayList<>();
            errors.forEach(n -> all.add(n.asText()));
            return String.join("; ", all);
        }
        return subtype == null ? "the agent reported an error" : subtype;
    }

    private String context() {
        ObjectNode ctx = BrokerJson.object();
        if (initialize != null) {
            ctx.set("initialize", initialize);
        }
        return BrokerJson.text(ctx);
    }

    @Override
    public void agentGone(String why) {
        for (Map.Entry<String, Event> e : inFlight.entrySet()) {
            ObjectNode answer = BrokerJson.object().put("type", "control_response");
            answer.putObject("response").put("subtype", "error").put("request_id", e.getKey()).put("error", why);
            host.publish("control_response", BrokerJson.text(answer), e.getValue());
            host.answered(e.getValue());
        }
        inFlight.clear();
        own.clear();
        permissions.endAll(why);
        permissions.forgetAnswered();
    }

    @Override
    public boolean hasConversation() {
        return sessionId != null || initialize != null;
    }

    @Override
    public void forget() {
        sessionId = null;
        initialize = null;
    }

    @Override
    public long oldestInFlight() {
        long oldest = Long.MAX_VALUE;
        for (Event e : inFlight.values()) {
            oldest = Math.min(oldest, e.sequence());
        }
        return oldest;
    }
}
