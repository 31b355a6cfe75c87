package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.stream.Event;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACP relay (Agent Client Protocol, JSON-RPC 2.0 over the agent's stdio), in the shape Runloop's broker gives it
 * on an axon (the remote-agents client's {@code axonStream}):
 *
 * <ul>
 *   <li>a client's {@code USER_EVENT} whose {@code event_type} is an agent method ({@code initialize},
 *       {@code session/new}, {@code session/prompt}, ...) is sent to the agent as a request with an id the broker
 *       assigns; the answer is published as an {@code AGENT_EVENT} with the same {@code event_type} and the result
 *       (or the error object) as payload;</li>
 *   <li>the agent's notifications ({@code session/update}) and requests ({@code session/request_permission},
 *       {@code fs/*}, {@code terminal/*}) are published with the method as {@code event_type} and the params as
 *       payload; a client answers a request with a {@code USER_EVENT} of the same method whose payload is the result
 *       (an object of only {@code code} and {@code message} is taken as an error), returned to the agent under the
 *       agent's own id, oldest request of that method first (one not a JSON object: {@code agent.error}); a
 *       {@code session/request_permission} also waits as a human intent, which answers it too ({@link
 *       AcpPermissions});</li>
 *   <li>{@code session/prompt} starts a turn, ended by its answer; any other event type (a plain message such as
 *       {@code message {text}}) also starts a turn: the broker initializes the agent and opens a session itself
 *       when none is open, then prompts with the text;</li>
 *   <li>{@code session/cancel} and {@code turn.cancel} cancel the running turn; pending permission requests are
 *       then answered {@code cancelled}, as ACP requires of a client. A turn still waiting for the broker's own
 *       start-up handshake ({@link AcpStartup}) has no session to cancel: it ends {@code cancelled} at once.</li>
 * </ul>
 *
 * <p>Agents number their own requests from 0 too, so a line from the agent is a request or a notification when it
 * has a {@code method}, and an answer to the broker otherwise; {@link AcpIds} keeps the ids of both sides.
 *
 * <p><b>Restore.</b> A restarted agent gets the client's last {@code initialize} again, then {@code session/load}
 * of the session clients know when the agent advertises {@code loadSession} (the history it streams back is not
 * published again), else {@code session/new}: the new session id is then translated to the old one in both
 * directions, so clients keep using theirs.
 */
final class AcpRelay implements Relay {
    private static final Logger log = LoggerFactory.getLogger(AcpRelay.class);

    private static final String PROMPT = AcpMethods.PROMPT;
    private static final String CANCEL = AcpMethods.CANCEL;
    private static final String PERMISSION = AcpPermissions.METHOD;

    private final RelayHost host;
    private final AcpIds ids = new AcpIds();
    private final AcpStartup startup;
    private final AcpPermissions permissions;

    // What restores the conversation (kept durably through RelayHost.sessionChanged).
    private ObjectNode initParams;
    private ObjectNode sessionParams;
    private String clientSession;

    // The live agent process.
    private boolean initialized;
    private boolean loadSession;
    private String agentSession;
    private String suppressUpdatesOf;

    AcpRelay(RelayHost host, InstantSource clock) {
        this.host = host;
        this.startup = new AcpStartup(host, clock, this::internal);
        this.permissions = new AcpPermissions(host, ids, this::answerAgent);
    }

    @Override
    public List<String> argv(List<String> command) {
        return command;
    }

    @Override
    public void restore(BrokerState state) {
        ObjectNode ctx = BrokerJson.object(state.context());
        initParams = ctx != null && ctx.get("initialize") instanceof ObjectNode o ? o : null;
        sessionParams = ctx != null && ctx.get("session") instanceof ObjectNode o ? o : null;
        clientSession = state.sessionId();
    }

    @Override
    public Kind classify(Event e) {
        return AcpMethods.classify(e.eventType());
    }

    // ---- restore ----

    @Override
    public void started() {
        initialized = false;
        loadSession = false;
        agentSession = null;
        suppressUpdatesOf = null;
        startup.reset();
        if (initParams == null) {
            host.ready();
            return;
        }
        startup.request("initialize", initParams.deepCopy(), r -> {
            onInitialized(r);
            reopenSession();
        }, e -> {
            host.agentError("restore_failed", "the restarted agent refused initialize: " + message(e));
            host.ready();
        });
    }

    private void reopenSession() {
        if (clientSession == null) {
            host.ready();
        } else if (loadSession) {
            ObjectNode p = sessionParams();
            p.put("sessionId", clientSession);
            suppressUpdatesOf = clientSession;
            startup.request("session/load", p, r -> {
                suppressUpdatesOf = null;
                agentSession = clientSession;
                host.ready();
            }, e -> {
                suppressUpdatesOf = null;
                host.agentError("restore_failed", "session/load of " + clientSession + " failed (" + message(e)
                        + "); continuing in a new session");
                newSessionForRestore();
            });
        } else {
            newSessionForRestore();
        }
    }

    private void newSessionForRestore() {
        startup.request("session/new", sessionParams(), r -> {
            agentSession = BrokerJson.string(r, "sessionId");
            host.ready();
        }, e -> {
            host.agentError("restore_failed", "session/new failed on the restarted agent: " + message(e));
            host.ready();
        });
    }

    private ObjectNode sessionParams() {
        return sessionParams != null ? sessionParams.deepCopy() : AcpStartup.sessionParams(host.workingDirectory());
    }

    // ---- from the axon ----

    @Override
    public void startTurn(Turn turn) {
        Event e = turn.trigger();
        if (e.eventType().equals(PROMPT)) {
            ObjectNode params = BrokerJson.object(e.payload());
            if (params == null) {
                host.turnFailed("the session/prompt payload is not a JSON object", "error");
                return;
            }
            turn.sessionId(BrokerJson.string(params, "sessionId"));
            request(PROMPT, params, e, true, null, null);
            return;
        }
        String text = BrokerJson.plainText(e.payload());
        ensureSession(() -> {
            turn.sessionId(clientSession);
            ObjectNode p = BrokerJson.object();
            p.put("sessionId", clientSession);
            p.putArray("prompt").addObject().put("type", "text").put("text", text);
            internal(PROMPT, p, r -> host.turnCompleted(stopReason(r)), err -> host.turnFailed(message(err), "error"));
        });
    }

    /**
     * Initializes the agent and opens a session when the broker itself has to (a plain message), then runs
     * {@code then}; a handshake already under way (begun for a turn that was cancelled) is awaited, not repeated.
     */
    private void ensureSession(Runnable then) {
        startup.waitWith(then);
        if (!startup.pending()) {
            openSession();
        }
    }

    /** The next step of the handshake, while a turn waits for it (none waits: the next turn's goes on from here). */
    private void openSession() {
        if (!startup.turnWaiting()) {
            return;
        }
        if (!initialized) {
            ObjectNode p = AcpStartup.clientInitialize();
            startup.request("initialize", p, r -> {
                initParams = p;
                onInitialized(r);
                openSession();
            }, e -> startup.fail("the agent refused initialize: " + message(e)));
        } else if (agentSession == null) {
            ObjectNode p = sessionParams();
            startup.request("session/new", p, r -> {
                String id = BrokerJson.string(r, "sessionId");
                if (id == null) {
                    startup.fail("the agent answered session/new without a sessionId");
                    return;
                }
                opened(id, id, p);
                openSession();
            }, e -> startup.fail("the agent refused session/new: " + message(e)));
        } else {
            startup.proceed();
        }
    }

    @Override
    public void relay(Event e) {
        String method = e.eventType();
        if (ids.agentWaits(method)) {
            if (BrokerJson.parse(e.payload()) instanceof ObjectNode answer) {
                JsonNode agentId = ids.nextAgentRequest(method);
                answerAgent(agentId, answer);
                if (method.equals(PERMISSION)) {
                    permissions.answeredByClient(agentId, answer, e);
                }
            } else { // it would use the request up; an AGENT_EVENT of the method would read as a new request
                host.agentError("invalid_answer", BrokerJson.notAnObject(e, BrokerJson.parse(e.payload())) + "; it still waits");
            }
            return;
        }
        if (AcpMethods.CLIENT_METHODS.contains(method) && !AcpMethods.AGENT_METHODS.contains(method)) {
            log.debug("{} #{} answers no request of the agent; dropped", method, e.sequence());
            return;
        }
        JsonNode params = BrokerJson.parse(e.payload());
        if (method.startsWith("$/")) {
            notifyAgent(method, params instanceof ObjectNode o ? o : BrokerJson.object());
            return;
        }
        if (!(params instanceof ObjectNode o)) {
            ObjectNode error = BrokerJson.object().put("code", -32602).put("message", BrokerJson.notAnObject(e, params));
            host.publish(method, BrokerJson.text(error), e);
            host.answered(e);
            return;
        }
        request(method, o, e, false, null, null);
    }

    @Override
    public void cancel(Turn running, Event e) {
        if (running != null && startup.release()) {
            host.turnCompleted("cancelled"); // no session yet, nothing to tell the agent; its handshake goes on
            return;
        }
        ObjectNode params;
        if (e.eventType().equals(CANCEL)) {
            params = BrokerJson.object(e.payload());
            if (params == null) {
                params = BrokerJson.object();
            }
            if (params.get("sessionId") == null && running != null && running.sessionId() != null) {
                params.put("sessionId", running.sessionId());
            }
        } else if (running != null && running.sessionId() != null) {
            params = BrokerJson.object().put("sessionId", running.sessionId());
        } else {
            return;
        }
        notifyAgent(CANCEL, params);
        List<JsonNode> asked = ids.takeAgentRequests(PERMISSION);
        for (JsonNode id : asked) {
            answerAgent(id, AcpPermissions.cancelled());
        }
        permissions.cancelled(asked, "the turn was cancelled");
    }

    private void request(String method, ObjectNode params, Event client, boolean turn, Consumer<JsonNode> onResult,
                         Consumer<JsonNode> onError) {
        mapToAgent(params);
        long id = ids.assign(new AcpIds.Pending(method, params, client, turn, onResult, onError));
        ObjectNode msg = BrokerJson.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
        msg.set("params", params);
        host.send(BrokerJson.text(msg));
    }

    private void internal(String method, ObjectNode params, Consumer<JsonNode> onResult, Consumer<JsonNode> onError) {
        request(method, params, null, false, onResult, onError);
    }

    private void notifyAgent(String method, ObjectNode params) {
        mapToAgent(params);
        ObjectNode msg = BrokerJson.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("params", params);
        host.send(BrokerJson.text(msg));
    }

    private void answerAgent(JsonNode id, JsonNode answer) {
        ObjectNode msg = BrokerJson.object().put("jsonrpc", "2.0");
        msg.set("id", id);
        if (BrokerJson.isRpcError(answer)) {
            msg.set("error", answer);
        } else {
            msg.set("result", answer == null ? BrokerJson.NODES.nullNode() : answer);
        }
        host.send(BrokerJson.text(msg));
    }

    // ---- from the agent ----

    @Override
    public void agentLine(String line) {
        ObjectNode msg = BrokerJson.object(line);
        if (msg == null) {
            host.agentNoise(line);
            return;
        }
        String method = BrokerJson.string(msg, "method");
        JsonNode id = msg.get("id");
        if (method != null) {
            JsonNode params = msg.get("params");
            if (params instanceof ObjectNode p) {
                mapToClient(p);
            }
            if (id != null && !id.isNull()) {
                ids.agentAsked(method, id);
                if (method.equals(PERMISSION) && params instanceof ObjectNode p) {
                    permissions.asked(id, p);
                    return;
                }
            } else if (suppressUpdatesOf != null && params != null
                    && suppressUpdatesOf.equals(BrokerJson.string(params, "sessionId"))) {
                return; // history streamed back by a restoring session/load: clients saw it the first time
            }
            host.publish(method, params == null ? "{}" : BrokerJson.text(params), null);
            return;
        }
        if (id == null || !id.canConvertToLong()) {
            host.agentNoise(line);
            return;
        }
        AcpIds.Pending p = ids.answered(id.asLong());
        if (p == null) {
            log.debug("answer to unknown request {} dropped", id);
            return;
        }
        JsonNode error = msg.get("error");
        JsonNode result = msg.get("result");
        if (p.client() == null) {
            if (error != null && !error.isNull()) {
                p.onError().accept(error);
            } else {
                p.onResult().accept(result);
            }
            return;
        }
        answered(p, result, error);
    }

    private void answered(AcpIds.Pending p, JsonNode result, JsonNode error) {
        boolean failed = error != null && !error.isNull();
        JsonNode answer = failed ? error : result;
        if (answer instanceof ObjectNode o) {
            mapToClient(o);
        }
        if (!failed) {
            remember(p, result);
        }
        host.publish(p.method(), answer == null ? "null" : BrokerJson.text(answer), p.client());
        if (p.turn()) {
            if (failed) {
                host.turnFailed(message(error), "error");
            } else {
                host.turnCompleted(stopReason(result));
            }
        } else {
            host.answered(p.client());
        }
    }

    /** What a successful client request tells the broker about the conversation. */
    private void remember(AcpIds.Pending p, JsonNode result) {
        switch (p.method()) {
            case "initialize" -> {
                initParams = BrokerJson.object(p.client().payload());
                onInitialized(result);
                saveSession();
            }
            case "session/new" -> {
                String id = BrokerJson.string(result, "sessionId");
                if (id != null) {
                    opened(id, id, p.params());
                }
            }
            case "session/load" -> {
                ObjectNode asked = BrokerJson.object(p.client().payload());
                String known = BrokerJson.string(asked, "sessionId");
                if (known != null) {
                    opened(known, BrokerJson.string(p.params(), "sessionId"), p.params());
                }
            }
            default -> {
            }
        }
    }

    private void onInitialized(JsonNode result) {
        initialized = true;
        JsonNode caps = result == null ? null : result.get("agentCapabilities");
        loadSession = caps != null && caps.path("loadSession").asBoolean(false);
    }

    /** A session is open: {@code client} as clients name it, {@code agent} as this agent process does. */
    private void opened(String client, String agent, ObjectNode params) {
        clientSession = client;
        agentSession = agent;
        ObjectNode p = BrokerJson.object();
        p.set("cwd", params.get("cwd") == null ? BrokerJson.NODES.textNode(host.workingDirectory()) : params.get("cwd"));
        p.set("mcpServers", params.get("mcpServers") == null ? BrokerJson.NODES.arrayNode() : params.get("mcpServers"));
        sessionParams = p;
        saveSession();
    }

    private void saveSession() {
        ObjectNode ctx = BrokerJson.object();
        if (initParams != null) {
            ctx.set("initialize", initParams);
        }
        if (sessionParams != null) {
            ctx.set("session", sessionParams);
        }
        host.sessionChanged(clientSession, BrokerJson.text(ctx));
    }

    /** Clients keep their session id when a restarted agent gave the conversation another one. */
    private void mapToAgent(ObjectNode params) {
        if (agentSession != null && clientSession != null && !agentSession.equals(clientSession)
                && clientSession.equals(BrokerJson.string(params, "sessionId"))) {
            params.put("sessionId", agentSession);
        }
    }

    private void mapToClient(ObjectNode params) {
        if (agentSession != null && clientSession != null && !agentSession.equals(clientSession)
                && agentSession.equals(BrokerJson.string(params, "sessionId"))) {
            params.put("sessionId", clientSession);
        }
    }

    @Override
    public void agentGone(String why) {
        permissions.gone(why);
        for (AcpIds.Pending p : ids.clear()) {
            if (p.client() != null && !p.turn()) {
                ObjectNode error = BrokerJson.object().put("code", -32603).put("message", why);
                host.publish(p.method(), BrokerJson.text(error), p.client());
                host.answered(p.client());
            }
        }
        initialized = false;
        agentSession = null;
        suppressUpdatesOf = null;
        startup.reset();
    }

    @Override
    public boolean hasConversation() {
        return initParams != null || clientSession != null;
    }

    @Override
    public void forget() {
        initParams = null;
        sessionParams = null;
        clientSession = null;
    }

    @Override
    public long oldestInFlight() {
        return ids.oldestClientRequest();
    }

    @Override
    public Awaited awaited() {
        return startup.awaited();
    }

    private static String stopReason(JsonNode result) {
        String r = BrokerJson.string(result, "stopReason");
        return r == null ? "end_turn" : r;
    }

    private static String message(JsonNode error) {
        String m = BrokerJson.string(error, "message");
        return m == null ? String.valueOf(error) : m;
    }
}
