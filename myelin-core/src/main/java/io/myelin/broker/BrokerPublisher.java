package io.myelin.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private final AxonLink link;
    private final String devboxId;
    private final CountDownLatch closed = new CountDownLatch(1);

    BrokerPublisher(AxonLink link, String devboxId) {
        this.link = link;
        this.devboxId = devboxId;
    }

    /** Publishes an {@code AGENT_EVENT}; false when its key was already taken by another event. */
    boolean agentEvent(String eventType, String payload, String key) {
        return publish(Origin.AGENT_EVENT, eventType, payload, key);
    }

    /** Publishes a {@code SYSTEM_EVENT}; false when its key was already taken by another event. */
    boolean system(String eventType, ObjectNode payload, String key) {
        return publish(Origin.SYSTEM_EVENT, eventType, BrokerJson.text(payload), key);
    }

    /** {@code agent.error {devbox_id, type, message}}. */
    void agentError(String type, String message, String key) {
        system("agent.error", BrokerJson.object().put("devbox_id", devboxId).put("type", type).put("message", message), key);
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
