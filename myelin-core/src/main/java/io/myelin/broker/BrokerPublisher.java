package io.myelin.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a broker writes to its axon, through its {@link AxonLink}: each call returns once durable, and retries
 * what can be retried (the server busy or restarting, the disk full for a while) under the same idempotency key,
 * so a retry never appends twice, until it succeeds or the broker closes.
 *
 * <p>An idempotency key that was already used for a different event (422) means the event's place is taken: by
 * this broker before a crash, or by another broker racing on the axon. That is not an error here: the event is
 * on the axon once, which is the point of the key.
 *
 * <p>Confined to the broker's thread, except {@link #close}.
 */
final class BrokerPublisher {
    private static final Logger log = LoggerFactory.getLogger(BrokerPublisher.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    /** The broker is closing: a retry in progress gives up. */
    static final class Closing extends RuntimeException {
        Closing() {
            super("the broker is closing", null, false, false);
        }
    }

    /** Most events in one batch of agent output. */
    static final int MAX_BATCH_EVENTS = 500;
    /** Most payload characters in one batch (a batch request must stay under {@code limits.max-body-bytes}). */
    static final long MAX_BATCH_CHARS = 512 * 1024;

    private record Buffered(String eventType, String payload, String key) {}

    private final AxonLink link;
    private final String devboxId;
    private final Consumer<String> unpublishable;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Buffered> buffer = new ArrayList<>();
    private long bufferedChars;
    /** The stdout lines that are not protocol, at the rate stderr lines get ({@link BrokerOptions#defaults}). */

    /**
     * @param unpublishable told (with a one-line reason) about agent output the server refused as too large or
     *                      invalid; it was dropped
     */
    BrokerPublisher(AxonLink link, String devboxId, Consumer<String> unpublishable) {
        this.link = link;
        this.devboxId = devboxId;
        this.unpublishable = unpublishable;
    }

    /**
     * Queues one {@code AGENT_EVENT} of the agent's output. Consecutive output is published in batches (one durable
     * write for many events) at the next {@link #flush}, or before anything else is published, so the order on the
     * axon is the order of the calls.
     */
    void output(String eventType, String payload, String key) {
        if (!buffer.isEmpty() && (buffer.size() >= MAX_BATCH_EVENTS || bufferedChars + payload.length() > MAX_BATCH_CHARS)) {
            flush();
        }
        buffer.add(new Buffered(eventType, payload, key));
        bufferedChars += payload.length();
    }

    /** Publishes the queued output, durably. */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<Buffered> batch = List.copyOf(buffer);
        buffer.clear();
        bufferedChars = 0;
        if (batch.size() > 1) {
            List<AxonLink.Out> events = batch.stream().map(b -> new AxonLink.Out(b.eventType(), b.payload())).toList();
            try {
                retrying(() -> {
                    link.publishBatch(events, batch.get(0).key() + "+" + batch.size());
                    return null;
                }, "publishing " + batch.size() + " events of agent output");
                return;
            } catch (MyelinException e) {
                if (e.kind() == ErrorKind.UNPROCESSABLE) {
                    return; // this batch is there already
                }
                if (e.kind() != ErrorKind.PAYLOAD_TOO_LARGE && e.kind() != ErrorKind.INVALID_REQUEST) {
                    throw e;
                }
                // one of them is refused: publish each on its own, so that only that one is lost
            }
        }
        for (Buffered b : batch) {
            try {
                publish(Origin.AGENT_EVENT, b.eventType(), b.payload(), b.key());
            } catch (MyelinException e) {
                if (e.kind() != ErrorKind.PAYLOAD_TOO_LARGE && e.kind() != ErrorKind.INVALID_REQUEST) {
                    throw e;
                }
                unpublishable.accept("the agent's " + b.eventType() + " could not be published: " + e.getMessage());
            }
        }
    }

    /** Publishes an {@code AGENT_EVENT} on its own (after the queued output); false when its key was taken. */
    boolean agentEvent(String eventType, String payload, String key) {
        flush();
        return publish(Origin.AGENT_EVENT, eventType, payload, key);
    }

    /** Publishes a {@code SYSTEM_EVENT} (after the queued output); false when its key was already taken. */
    boolean system(String eventType, ObjectNode payload, String key) {
        flush();
        return publish(Origin.SYSTEM_EVENT, eventType, BrokerJson.text(payload), key);
    }

    /** {@code agent.error {devbox_id, type, message}}. */
    void agentError(String type, String message, String key) {
        system("agent.error", BrokerJson.object().put("devbox_id", devboxId).put("type", type).put("message", message), key);
    }

    /**
     * {@code agent.log {log_type, message}}: {@code stderr}, or {@code stdout} for a line that is not protocol; both
     * limited by the broker before they get here ({@link LogLimiter}).
     */
    void agentLog(String logType, String message, String key) {
        system("agent.log", BrokerJson.object().put("log_type", logType).put("message", message), key);
    }

    /** {@code broker.error {message}}: the remote-agents client treats it as fatal for its connection. */
    void brokerError(String message, String key) {
        system("broker.error", BrokerJson.object().put("message", message), key);
    }

    private boolean publish(Origin origin, String eventType, String payload, String key) {
        try {
            retrying(() -> link.publish(origin, eventType, payload, key), eventType);
            return true;
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.UNPROCESSABLE) {
                log.debug("{} on {} under {} is already there: {}", eventType, link.axonId(), key, e.getMessage());
                return false;
            }
            throw e;
        }
    }

    /**
     * Runs {@code call} until it succeeds, waiting between attempts (100 ms doubling to 5 s) while the failure is
     * one a retry can fix. Other failures are thrown.
     *
     * @throws Closing when the broker closes meanwhile
     */
    <T> T retrying(Supplier<T> call, String what) {
        Duration wait = FIRST_WAIT;
        while (true) {
            if (closed.getCount() == 0) {
                throw new Closing();
            }
            try {
                return call.get();
            } catch (MyelinException e) {
                if (!retryable(e)) {
                    throw e;
                }
                log.warn("broker on {}: {} failed ({}), retrying in {} ms", link.axonId(), what, e.getMessage(),
                        wait.toMillis());
            }
            try {
                if (closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new Closing();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Closing();
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    static boolean retryable(MyelinException e) {
        if (e.shouldRetry() != null) {
            return e.shouldRetry();
        }
        return switch (e.kind()) {
            case UNAVAILABLE, INSUFFICIENT_STORAGE, TOO_MANY_REQUESTS, REQUEST_TIMEOUT, INTERNAL -> true;
            default -> false;
        };
    }

    /** Ends every retry in progress or to come. */
    void close() {
        closed.countDown();
    }
}
