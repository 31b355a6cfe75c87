package io.myelin.client;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A live, resumable feed of an axon's events in sequence order. It replays the events after the starting
 * sequence, then delivers new ones as they are appended. When the connection breaks, when the server closes
 * an idle stream (408), or when the server restarts, it reconnects by itself with backoff and resumes right
 * after the last event it received: the caller sees every event once, with no gap and no duplicate, until it
 * calls {@link #close()}.
 *
 * <pre>{@code
 * try (Subscription sub = client.axon(id).subscribe(0)) {
 *     sub.stream()
 *        .takeWhile(e -> !e.eventType().equals("turn.completed"))
 *        .forEach(e -> System.out.println(e.sequence() + " " + e.payload()));
 * }
 * }</pre>
 *
 * <p>Errors that retrying cannot fix (the axon does not exist, the key is refused) end the subscription:
 * events already received are still handed out, then {@link #poll} and the stream throw the
 * {@link MyelinApiException}.
 *
 * <p>Threading: a background thread receives events into a bounded buffer; when the buffer is full it stops
 * reading until the consumer catches up. {@link #poll} and {@link #stream} are meant for one consuming thread.
 * {@link #state()}, {@link #lastSequence()} and {@link #close()} may be called from any thread.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the next event.
     *
     * @return the next event, or empty if none arrived in time or the subscription is closed
     * @throws MyelinApiException   if the subscription ended with an error and no buffered event remains
     * @throws InterruptedException if the waiting thread is interrupted
     */
    Optional<AxonEvent> poll(Duration timeout) throws InterruptedException;

    /**
     * All events from here on, blocking for each. The stream ends when the subscription is closed (or the
     * consuming thread is interrupted, which it leaves flagged); it throws if the subscription fails.
     */
    Stream<AxonEvent> stream();

    /** The current state; see {@link SubscriptionState}. */
    SubscriptionState state();

    /**
     * The sequence of the last event handed to the consumer, or the starting sequence if none yet. To resume
     * later (even from another process) without gap or duplicate, subscribe after this value.
     */
    long lastSequence();

    /** Stops receiving and releases the connection. Idempotent; never throws. */
    @Override
    void close();
}
