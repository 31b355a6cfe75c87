package io.myelin.bench.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.http.HttpResponse;
import io.myelin.bench.workload.AxonClient;
import io.myelin.bench.workload.UnexpectedResponseException;

import java.io.IOException;

/**
 * The devbox and publish calls the agent workloads make (Runloop's devbox API as Myelin serves it), over one
 * {@link HttpConnection}. Not thread-safe: one per thread.
 */
public final class AgentApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code launch_parameters.lifecycle.after_idle}: seconds idle, then {@code suspend} or {@code shutdown}. */
    public record AfterIdle(int idleTimeSeconds, String onIdle) {}

    private final HttpConnection http;
    private final AxonClient axons;

    public AgentApi(HttpConnection http) {
        this.http = http;
        this.axons = new AxonClient(http);
    }

    public String createAxon(String name) throws IOException {
        return axons.createAxon(name);
    }

    /**
     * {@code POST /v1/devboxes} with one ACP broker mount of {@code agent} (a name of the server's
     * {@code agents.binaries}) on {@code axonId}; {@code afterIdle} null: no idle action. Returns the devbox id.
     */
    public String createDevbox(String name, String axonId, String agent, AfterIdle afterIdle) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.putArray("mounts").addObject().put("type", "broker_mount").put("axon_id", axonId)
                .put("protocol", "acp").put("agent_binary", agent);
        ObjectNode lifecycle = body.putObject("launch_parameters").putObject("lifecycle");
        if (afterIdle != null) {
            lifecycle.putObject("after_idle").put("idle_time_seconds", afterIdle.idleTimeSeconds())
                    .put("on_idle", afterIdle.onIdle());
        }
        lifecycle.putObject("resume_triggers").put("axon_event", true);
        HttpResponse r = ok("create devbox", http.postJson("/v1/devboxes", JSON.writeValueAsBytes(body)));
        return JSON.readTree(r.body()).path("id").asText();
    }

    public void suspend(String devboxId) throws IOException {
        ok("suspend devbox", http.postJson("/v1/devboxes/" + devboxId + "/suspend", new byte[0]));
    }

    public void shutdown(String devboxId) throws IOException {
        ok("shut down devbox", http.postJson("/v1/devboxes/" + devboxId + "/shutdown", new byte[0]));
    }

    /** A plain-message turn, what {@code myelin exec --input} publishes: {@code USER_EVENT message {"text": ...}}. */
    public long publishMessage(String axonId, String text) throws IOException {
        return publish(axonId, "message", JSON.createObjectNode().put("text", text).toString());
    }

    /** Publishes a {@code USER_EVENT} with a JSON payload and returns its sequence. */
    public long publish(String axonId, String type, String payloadJson) throws IOException {
        return sequence(http.postJson(AxonClient.publishPath(axonId), body(type, payloadJson)));
    }

    /** The body of a {@code USER_EVENT} publish. */
    public static byte[] body(String type, String payloadJson) {
        ObjectNode body = JSON.createObjectNode().put("event_type", type).put("origin", "USER_EVENT")
                .put("source", "myelin-bench").put("payload", payloadJson);
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Sends a body prepared with {@link #body} and returns the event's sequence. */
    public long publishPrepared(String axonId, byte[] body) throws IOException {
        return sequence(http.postJson(AxonClient.publishPath(axonId), body));
    }

    private static long sequence(HttpResponse r) throws IOException {
        return JSON.readTree(ok("publish", r).body()).path("sequence").asLong();
    }

    private static HttpResponse ok(String what, HttpResponse r) throws UnexpectedResponseException {
        if (!r.ok()) throw new UnexpectedResponseException(what, r);
        return r;
    }
}
