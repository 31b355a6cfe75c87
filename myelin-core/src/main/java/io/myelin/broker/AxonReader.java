package io.myelin.broker;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Event;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a broker's axon into its inbox on a thread of its own ({@code broker-<axon>-reader}, virtual), in
 * sequence order. It waits when the inbox's event lane is full, so the axon holds what the broker has not taken
 * yet. A failed read is retried from the last event handed on; the axon gone (404) is posted to the broker, which
 * stops.
 */
final class AxonReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AxonReader.class);

    private final AxonLink link;
    private final BrokerInbox inbox;
    private final BrokerPublisher publisher;
    private volatile AxonLink.Feed feed;
    private volatile boolean closed;
    private Thread thread;

    AxonReader(AxonLink link, BrokerInbox inbox, BrokerPublisher publisher) {
        this.link = link;
        this.inbox = inbox;
        this.publisher = publisher;
    }

    /** Subscribes after {@code after} (on the caller's thread, so a 404 is thrown here) and starts reading. */
    void start(long after) {
        feed = link.subscribe(after);
        thread = Thread.ofVirtual().name("broker-" + link.axonId() + "-reader").start(() -> run(after));
    }

    private void run(long after) {
        long last = after;
        while (!closed) {
            try {
                for (Event e : feed.next(Duration.ofSeconds(1))) {
                    if (!inbox.event(e)) {
                        return;
                    }
                    last = e.sequence();
                }
            } catch (InterruptedException e) {
                return;
            } catch (BrokerPublisher.Closing e) {
                return;
            } catch (MyelinException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    fail(e);
                    return;
                }
                resubscribe(last, e);
            } catch (RuntimeException e) {
                resubscribe(last, e);
            }
        }
    }

    private void resubscribe(long after, RuntimeException cause) {
        log.warn("broker on {}: reading the axon failed ({}); reading again after #{}", link.axonId(), cause.getMessage(), after);
        feed.close();
        feed = publisher.retrying(() -> link.subscribe(after), "subscribing to the axon");
    }

    private void fail(MyelinException e) {
        inbox.notice(() -> {
            throw e;
        });
    }

    @Override
    public void close() {
        closed = true;
        AxonLink.Feed f = feed;
        if (f != null) {
            f.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
