package io.myelin.cli;

import io.myelin.client.AxonEvent;
import io.myelin.client.Subscription;
import io.myelin.client.SubscriptionState;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Hands a subscription's events to a printer until one matches a stop condition, a deadline passes, or the
 * subscription ends. Reconnection is the subscription's business; this loop only sees a gap-free sequence.
 */
final class EventFollower {
    enum End { STOP_EVENT, TIMEOUT, CLOSED }

    /**
     * @param end          why following ended
     * @param stopEvent    the event that matched the stop condition, or {@code null}
     * @param lastSequence the last sequence printed (or the starting point if none)
     */
    record Outcome(End end, AxonEvent stopEvent, long lastSequence) {
    }

    private EventFollower() {
    }

    /**
     * @param timeout {@code null} to wait without limit
     */
    static Outcome follow(Subscription sub, Predicate<AxonEvent> stop, Duration timeout, Consumer<AxonEvent> print)
            throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Outcome(End.TIMEOUT, null, sub.lastSequence());
            }
            Optional<AxonEvent> next = sub.poll(Duration.ofNanos(Math.min(remaining, Duration.ofMillis(500).toNanos())));
            if (next.isPresent()) {
                AxonEvent e = next.get();
                print.accept(e);
                if (stop.test(e)) {
                    return new Outcome(End.STOP_EVENT, e, e.sequence());
                }
            } else if (sub.state() == SubscriptionState.CLOSED) {
                return new Outcome(End.CLOSED, null, sub.lastSequence());
            }
        }
    }
}
