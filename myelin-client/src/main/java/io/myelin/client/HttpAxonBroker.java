package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@link AxonBroker} over HTTP. Immutable, hence thread-safe. */
final class HttpAxonBroker implements AxonBroker {
    private final Transport transport;
    private final String path;
    private final String axonPath;

    HttpAxonBroker(Transport transport, String axonPath) {
        this.transport = transport;
        this.axonPath = axonPath;
        this.path = axonPath + "/broker";
    }

    @Override
    public BrokerState state() {
        return transport.get(path, new Query(), BrokerState.class);
    }

    @Override
    public BrokerState save(BrokerState next, String idempotencyKey) {
        Objects.requireNonNull(next, "next");
        return transport.write("PUT", path, next, idempotencyKey, BrokerState.class);
    }

    @Override
    public Published publishSystemEvent(String eventType, String payloadJson, String idempotencyKey) {
        return transport.write("POST", path + "/events", new WireTypes.BrokerEvent(eventType, payloadJson),
                idempotencyKey, Published.class);
    }

    @Override
    public JsonNode createIntent(JsonNode body, String idempotencyKey) {
        return transport.write("POST", axonPath + "/intents", Objects.requireNonNull(body, "body"), idempotencyKey,
                JsonNode.class);
    }

    @Override
    public JsonNode resolveIntent(String intentId, JsonNode body, String idempotencyKey) {
        return transport.write("POST", intentPath(intentId) + "/resolve", body, idempotencyKey, JsonNode.class);
    }

    @Override
    public JsonNode cancelIntent(String intentId, JsonNode body, String idempotencyKey) {
        return transport.write("POST", intentPath(intentId) + "/cancel", body, idempotencyKey, JsonNode.class);
    }

    private static String intentPath(String intentId) {
        return "/v1/intents/" + URLEncoder.encode(Objects.requireNonNull(intentId, "intentId"), StandardCharsets.UTF_8);
    }
}
