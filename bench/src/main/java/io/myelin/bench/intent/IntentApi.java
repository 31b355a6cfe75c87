package io.myelin.bench.intent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.http.HttpResponse;
import io.myelin.bench.workload.AxonClient;
import io.myelin.bench.workload.UnexpectedResponseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The intent calls the workload makes, on one {@link HttpConnection}: create, resolve, a list page, and the
 * {@code myelin_intents_waiters} gauge of {@code /metrics}. Not thread-safe (one connection).
 */
public final class IntentApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] APPROVE = "{\"outcome\":\"approved\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpConnection http;

    public IntentApi(HttpConnection http) {
        this.http = http;
    }

    /** {@code POST /v1/axons/{axonId}/intents} with a prepared body; returns the new intent's id (201 expected). */
    public String create(String axonId, byte[] body) throws IOException {
        HttpResponse r = http.postJson("/v1/axons/" + axonId + "/intents", body);
        if (r.status() != 201) throw new UnexpectedResponseException("create intent", r);
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** {@code POST /v1/intents/{id}/resolve} with outcome {@code approved} (200 expected). */
    public void approve(String intentId) throws IOException {
        AxonClient.expectOk("resolve intent", http.postJson("/v1/intents/" + intentId + "/resolve", APPROVE));
    }

    /** One page of {@code GET /v1/intents?query}: {@code {intents, has_more, total_count}}. */
    public JsonNode list(String query) throws IOException {
        return JSON.readTree(AxonClient.expectOk("list intents", http.get("/v1/intents?" + query)).body());
    }

    /** {@code GET /v1/intents/{id}} (with {@code ?wait_ms=} when {@code waitMs > 0}): the intent view. */
    public JsonNode get(String intentId, long waitMs) throws IOException {
        String path = "/v1/intents/" + intentId + (waitMs > 0 ? "?wait_ms=" + waitMs : "");
        return JSON.readTree(AxonClient.expectOk("get intent", http.get(path)).body());
    }

    /** The long polls parked on the server now ({@code myelin_intents_waiters}). */
    public long waiters() throws IOException {
        String text = AxonClient.expectOk("metrics", http.get("/metrics")).bodyText();
        return Math.round(MetricsText.value(text, "myelin_intents_waiters"));
    }
}
