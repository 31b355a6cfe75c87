package io.myelin.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.http.HttpResponse;

import java.io.IOException;
import java.util.Map;

/** The few axon API calls the workloads need, on top of one {@link HttpConnection}. */
public final class AxonClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpConnection http;

    public AxonClient(HttpConnection http) {
        this.http = http;
    }

    public String createAxon(String name) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("name", name));
        HttpResponse r = expectOk("create axon", http.postJson("/v1/axons", body));
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** Publishes a prepared body; only the status is checked, to keep the hot path cheap. */
    public void publish(String axonId, byte[] body) throws IOException {
        expectOk("publish", http.postJson(publishPath(axonId), body));
    }

    /** What a batch publish assigned. */
    public record BatchResult(int count, long firstSequence, long lastSequence) {
        public boolean contiguous() {
            return lastSequence - firstSequence + 1 == count;
        }
    }

    /** Publishes a prepared batch body and reads back the assigned sequences. */
    public BatchResult publishBatch(String axonId, byte[] body) throws IOException {
        HttpResponse r = expectOk("publish batch", http.postJson(batchPath(axonId), body));
        JsonNode results = JSON.readTree(r.body()).path("results");
        if (!results.isArray() || results.isEmpty()) throw new IOException("batch reply without results: " + r.bodyText());
        return new BatchResult(results.size(), results.get(0).path("sequence").asLong(),
                results.get(results.size() - 1).path("sequence").asLong());
    }

    /** Like {@link #publishBatch} but without parsing the reply: for the throughput loop. */
    public void publishBatchUnchecked(String axonId, byte[] body) throws IOException {
        expectOk("publish batch", http.postJson(batchPath(axonId), body));
    }

    public static String publishPath(String axonId) {
        return "/v1/axons/" + axonId + "/publish";
    }

    public static String batchPath(String axonId) {
        return "/v1/axons/" + axonId + "/publish/batch";
    }

    public static String subscribePath(String axonId, long afterSequence) {
        return "/v1/axons/" + axonId + "/subscribe/sse?after_sequence=" + afterSequence;
    }

    static HttpResponse expectOk(String what, HttpResponse r) throws UnexpectedResponseException {
        if (!r.ok()) throw new UnexpectedResponseException(what, r);
        return r;
    }
}
