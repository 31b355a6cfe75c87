package io.myelin.client;

import java.util.List;
import java.util.stream.Stream;

/**
 * Everything done to one axon's log and database. Obtaining a handle costs nothing and makes no request;
 * calls on an axon that does not exist throw {@link NotFoundException}.
 *
 * <pre>{@code
 * AxonHandle axon = client.axon("axn_123");
 * Published p = axon.publish(NewEvent.json("message", Origin.USER_EVENT, "my-app", Map.of("text", "hi")));
 * EventPage latest = axon.history(10, null);
 * }</pre>
 *
 * <p>Threading: safe for concurrent use.
 */
public interface AxonHandle {
    /** The axon's id. */
    String id();

    /**
     * Appends one event, durably: the answer comes once it is on the server's disk. The client's own retries
     * (see {@link MyelinClient}) reuse one generated idempotency key, so they never append it twice.
     *
     * @throws NotFoundException          404: no such axon
     * @throws MyelinApiException         400 or 413: a field is missing or over its limit ({@code field()} names it)
     * @throws MyelinConnectionException  no answer after every retry: whether it was appended is unknown; publish
     *                                    with an idempotency key of your own to retry safely
     */
    Published publish(NewEvent event);

    /**
     * Appends one event at most once per {@code idempotencyKey} on this axon: repeating the call with the same key
     * (for instance after a {@link MyelinConnectionException}, from any process, within the server's retention
     * of 24 h by default) returns the first call's result instead of appending again.
     *
     * @param idempotencyKey 1..256 visible ASCII characters
     * @throws MyelinApiException 422 when the key was already used for a different event
     */
    Published publish(NewEvent event, String idempotencyKey);

    /** Appends up to 1000 events atomically, in order; results are in the same order. */
    List<Published> publishBatch(List<NewEvent> events);

    /** {@link #publishBatch(List)} at most once per {@code idempotencyKey}, like {@link #publish(NewEvent, String)}. */
    List<Published> publishBatch(List<NewEvent> events, String idempotencyKey);

    /**
     * One page of history, newest first.
     *
     * @param limit          page size, 1..5000
     * @param beforeSequence only events with a lower sequence (the previous page's {@link EventPage#nextCursor()}),
     *                       or {@code null} to start from the newest
     */
    EventPage history(int limit, Long beforeSequence);

    /** The whole history, newest first, fetched page by page as the stream is consumed. */
    Stream<AxonEvent> history();

    /**
     * Starts a {@link Subscription} that delivers every event with a sequence greater than
     * {@code afterSequence} (0 for the whole log), then new events live, until closed.
     */
    Subscription subscribe(long afterSequence);

    /** The axon's SQL database. */
    AxonSql sql();

    /** The axon's broker state and a broker's system events (a Myelin extension). */
    AxonBroker broker();

    /** The axon's step journal (a Myelin extension). */
    AxonJournal journal();
}
