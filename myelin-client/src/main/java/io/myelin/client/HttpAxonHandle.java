package io.myelin.client;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** {@link AxonHandle} over HTTP. Holds only immutable state, hence thread-safe. */
final class HttpAxonHandle implements AxonHandle {
    private static final int HISTORY_PAGE = 500;

    private final HttpMyelinClient client;
    private final Transport transport;
    private final String axonId;
    private final String path;

    HttpAxonHandle(HttpMyelinClient client, Transport transport, String axonId) {
        this.client = client;
        this.transport = transport;
        this.axonId = axonId;
        this.path = HttpAxons.path(axonId);
    }

    @Override
    public String id() {
        return axonId;
    }

    @Override
    public Published publish(NewEvent event) {
        Objects.requireNonNull(event, "event");
        return transport.write("POST", path + "/publish", event, null, Published.class);
    }

    @Override
    public Published publish(NewEvent event, String idempotencyKey) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return transport.write("POST", path + "/publish", event, idempotencyKey, Published.class);
    }

    @Override
    public List<Published> publishBatch(List<NewEvent> events) {
        return publishBatch(events, null);
    }

    @Override
    public List<Published> publishBatch(List<NewEvent> events, String idempotencyKey) {
        if (events.isEmpty()) {
            // The upper bound is the server's (limits.max-batch-events, configurable): it answers 413 naming it.
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        return transport.write("POST", path + "/publish/batch", new WireTypes.PublishBatch(events), idempotencyKey,
                WireTypes.PublishedBatch.class).results();
    }

    @Override
    public EventPage history(int limit, Long beforeSequence) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        Query q = new Query().add("limit", limit).add("starting_after", beforeSequence).add("include_total_count", false);
        return transport.get(path + "/events", q, EventPage.class);
    }

    @Override
    public Stream<AxonEvent> history() {
        return new CursorPager<AxonEvent, Long>(cursor -> {
            EventPage page = history(HISTORY_PAGE, cursor);
            return new CursorPager.Page<>(page.events(), page.hasMore());
        }, AxonEvent::sequence).stream();
    }

    @Override
    public Subscription subscribe(long afterSequence) {
        return client.openSubscription(path, afterSequence);
    }

    @Override
    public AxonSql sql() {
        return new HttpAxonSql(transport, path);
    }

    @Override
    public AxonBroker broker() {
        return new HttpAxonBroker(transport, path);
    }

    @Override
    public AxonJournal journal() {
        return new HttpAxonJournal(transport, path);
    }
}
