package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The wire objects that have no public record of their own: request bodies and envelopes. Each maps by name
 * through {@link Json#MAPPER} (snake_case); {@code null} components are left out of requests.
 */
final class WireTypes {
    private WireTypes() {
    }

    /** {@code POST /v1/axons}. */
    record CreateAxon(String name, Map<String, String> metadata) {
    }

    /** {@code POST /v1/axons/{id}}: {@code metadata} replaces the axon's. */
    record UpdateAxon(Map<String, String> metadata) {
    }

    /** {@code POST /v1/axons/{id}/broker/events}. */
    record BrokerEvent(String eventType, String payload) {
    }

    /** {@code POST /v1/axons/{id}/publish/batch}. */
    record PublishBatch(List<NewEvent> events) {
    }

    /** Its answer. */
    record PublishedBatch(List<Published> results) {
        PublishedBatch {
            results = results == null ? List.of() : List.copyOf(results);
        }
    }

    /** {@code GET /v1/axons}: one page. */
    record AxonList(List<Axon> axons, boolean hasMore) {
        AxonList {
            axons = axons == null ? List.of() : List.copyOf(axons);
        }
    }

    /** {@code GET /v1/devboxes}: one page. */
    record DevboxList(List<Devbox> devboxes, boolean hasMore) {
        DevboxList {
            devboxes = devboxes == null ? List.of() : List.copyOf(devboxes);
        }
    }

    /** {@code GET /v1/intents}: one page. */
    record IntentList(List<Intent> intents, boolean hasMore) {
        IntentList {
            intents = intents == null ? List.of() : List.copyOf(intents);
        }
    }

    /** {@code POST /v1/intents/{id}/resolve}. */
    record ResolveIntent(IntentOutcome outcome, JsonNode result, String comment) {
    }

    /** {@code POST /v1/intents/{id}/cancel}. */
    record CancelIntent(String reason) {
    }

    /** {@code POST /v1/devboxes/{id}/wait_for_status}. */
    record WaitForStatus(List<String> statuses) {
    }

    /**
     * One statement of {@code sql/query} or {@code sql/batch}. A {@code byte[]} parameter becomes the wire's BLOB
     * form {@code {"$blob": base64}} (a bare base64 string would bind as TEXT); no parameters leaves
     * {@code params} out.
     */
    record Statement(String sql, List<Object> params) {
        static Statement of(SqlStatement s) {
            if (s.params().isEmpty()) {
                return new Statement(s.sql(), null);
            }
            List<Object> params = new ArrayList<>(s.params().size());
            for (Object p : s.params()) {
                params.add(p instanceof byte[] bytes ? Map.of("$blob", Base64.getEncoder().encodeToString(bytes)) : p);
            }
            return new Statement(s.sql(), params);
        }
    }

    /** {@code POST /v1/axons/{id}/sql/batch}. */
    record Batch(List<Statement> statements) {
    }

    /**
     * Every error answer: {@code {"error": {"type", "message", "field"}}}; a 409 about an intent also carries the
     * intent as it is now.
     */
    record ErrorBody(ErrorDetail error, Intent intent) {
    }

    record ErrorDetail(String type, String message, String field) {
    }

    /** The data of an SSE {@code event: error} frame. */
    record StreamError(int code, String message) {
    }
}
