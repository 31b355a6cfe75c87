package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.List;

/**
 * Port: a broker's connection to the one axon it relays. {@link LocalAxonLink} is the server's own event log and
 * state store (brokers of devboxes); {@code myelin broker} implements it over HTTP with the Java client, through
 * the axon's events and its {@code /v1/axons/{id}/broker} extension. One broker implementation runs on either.
 *
 * <p>Failures are {@link io.myelin.error.MyelinException}s whatever the transport: a broker retries those that
 * {@link io.myelin.error.MyelinException#shouldRetry say so} (and 503s), and treats 404 as the axon being gone.
 *
 * <p>Threading: thread-safe; every call blocks until done.
 */
public interface AxonLink extends AutoCloseable {
    String axonId();

    /** The axon's broker state ({@link BrokerState#INITIAL} when none was saved). */
    BrokerState loadState();

    /**
     * Saves {@code next} over version {@code next.version()} and returns what was stored. A retry under the same
     * {@code key} (after a lost answer) returns the first answer.
     *
     * @throws io.myelin.error.MyelinException 409 when another broker saved meanwhile
     */
    BrokerState saveState(BrokerState next, String key);

    /**
     * Saves {@code next} as {@link #saveState} does, then appends the {@link Origin#SYSTEM_EVENT} as {@link #publish}
     * does; the event is never durable before the state. A {@code 422} for the event (its key is taken: it is there
     * already) is not an error. The default makes one call after the other; a link that can queue both to storage
     * in order (the server's own) waits once.
     *
     * @return the state as stored
     * @throws io.myelin.error.MyelinException what failed the save first, else what failed the event
     */
    default BrokerState saveStateThenPublish(BrokerState next, String stateKey, String eventType, String payload,
                                             String eventKey) {
        BrokerState saved = saveState(next, stateKey);
        try {
            publish(Origin.SYSTEM_EVENT, eventType, payload, eventKey);
        } catch (MyelinException e) {
            if (e.kind() != ErrorKind.UNPROCESSABLE) {
                throw e;
            }
        }
        return saved;
    }

    /**
     * Appends one event as the broker: {@link Origin#AGENT_EVENT} (what the agent said) or {@link Origin#SYSTEM_EVENT}
     * ({@code turn.*}, {@code agent.*}, {@code broker.error}). At most once per {@code key} on this axon: a repeat
     * returns the first event's sequence.
     *
     * @return the event's sequence
     * @throws io.myelin.error.MyelinException 422 when {@code key} was used for a different event
     */
    long publish(Origin origin, String eventType, String payload, String key);

    /**
     * Appends {@code events} as {@link Origin#AGENT_EVENT}s in one atomic batch, with contiguous sequences, at most
     * once per {@code key} (a repeat returns the first answer and appends nothing).
     *
     * @throws io.myelin.error.MyelinException 422 when {@code key} was used for a different batch; 413 naming
     *                                         {@code events[i].payload} for an event too large to publish
     */
    void publishBatch(List<Out> events, String key);

    /** One event of a batch. */
    record Out(String eventType, String payload) {}

    /**
     * The event at {@code sequence}.
     *
     * @throws io.myelin.error.MyelinException 404 when the axon or the event is gone
     */
    Event read(long sequence);

    /**
     * Creates a waiting intent on the axon ({@code POST /v1/axons/{id}/intents}), at most once per {@code key}: a
     * repeat returns the intent the first call created, as it is now.
     *
     * @throws io.myelin.error.MyelinException 400/413 naming the field at fault; 404 when the axon is gone
     */
    Intent createIntent(IntentRequest request, String key);

    /**
     * Resolves a waiting intent ({@code POST /v1/intents/{id}/resolve}); a repeat under {@code key} returns the
     * first answer.
     *
     * @throws io.myelin.error.MyelinException 409 when it is no longer waiting; 404 when it is gone; 400 naming
     *                                         the field
     */
    Intent resolveIntent(String intentId, Outcome outcome, JsonNode result, String comment, String key);

    /**
     * Cancels a waiting intent ({@code POST /v1/intents/{id}/cancel}) with {@code reason} as its comment; a repeat
     * under {@code key} returns the first answer.
     *
     * @throws io.myelin.error.MyelinException 409 when it is no longer waiting; 404 when it is gone
     */
    Intent cancelIntent(String intentId, String reason, String key);

    /** Every event after {@code afterSequence}, stored ones first, then live ones, in sequence order. */
    Feed subscribe(long afterSequence);

    /** An open subscription; {@link #close} may be called from any thread and ends a waiting {@link #next}. */
    interface Feed extends AutoCloseable {
        /** The next events, waiting up to {@code wait}; empty on timeout or once closed. */
        List<Event> next(Duration wait) throws InterruptedException;

        @Override
        void close();
    }

    /** Releases what the link holds (not the axon). */
    @Override
    void close();
}
