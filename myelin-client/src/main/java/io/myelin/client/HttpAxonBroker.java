package io.myelin.client;

import java.util.Objects;

/** {@link AxonBroker} over HTTP. Immutable, hence thread-safe. */
final class HttpAxonBroker implements AxonBroker {
    private final Transport transport;
    private final String path;

    HttpAxonBroker(Transport transport, String axonPath) {
        this.transport = transport;
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
}
