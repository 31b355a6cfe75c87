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

    /** The connection this client sends on, for workloads that make other calls on it. */
    public HttpConnection connection() {
        return http;
    }

    public String createAxon(String name) throws IOException {
        return createAxon(name, Map.of());
    }

    public String createAxon(String name, Map<String, String> metadata) throws IOException {
        byte[] body = JSON.writeValueAsBytes(metadata.isEmpty() ? Map.of("name", name) : Map.of("name", name, "metadata", metadata));
        HttpResponse r = expectOk("create axon", http.postJson("/v1/axons", body));
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** {@code POST /v1/axons/{id}/sql/query} with a prepared body; the reply is returned unparsed. */
    public HttpResponse sqlQuery(String axonId, byte[] body) throws IOException {
        return expectOk("sql query", http.postJson("/v1/axons/" + axonId + "/sql/query", body));
    }

    /**
     * {@code POST /v1/axons/{id}/sql/batch}. A batch that rolled back still answers 200 with an
     * {@code error} entry, so that counts as a failure here too.
     */
    public HttpResponse sqlBatch(String axonId, byte[] body) throws IOException {
        HttpResponse r = expectOk("sql batch", http.postJson("/v1/axons/" + axonId + "/sql/batch", body));
        if (r.bodyText().contains("\"error\"")) throw new IOException("sql batch failed: " + r.bodyText());
        return r;
    }

    /** A GET that must succeed, such as a page of {@code /v1/axons}. */
    public HttpResponse get(String path) throws IOException {
        return expectOk("GET " + path, http.get(path));
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

    /** {@code r} itself when it is 2xx; otherwise an {@link UnexpectedResponseException} naming {@code what}. */
    public static HttpResponse expectOk(String what, HttpResponse r) throws UnexpectedResponseException {
        if (!r.ok()) throw new UnexpectedResponseException(what, r);
        return r;
    }
}
