package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.client.AxonEvent;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewEvent;
import io.myelin.client.Origin;
import io.myelin.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A client's view of one axon for the broker tests: it publishes as a client would and reads every event back
 * through a subscription, in order, so a test can wait for the event it expects (never for a time).
 */
final class AxonTail implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    private final MyelinClient client;
    private final String axonId;
    private final Subscription sub;
    private final List<AxonEvent> seen = new ArrayList<>();
    private int position;

    AxonTail(MyelinClient client, String axonId) {
        this.client = client;
        this.axonId = axonId;
        this.sub = client.axon(axonId).subscribe(0);
    }

    String axonId() {
        return axonId;
    }

    /** Publishes a client event; returns its sequence. */
    long user(String eventType, Object payload) {
        return publish(eventType, Origin.USER_EVENT, payload);
    }

    long publish(String eventType, Origin origin, Object payload) {
        String text = payload instanceof String s ? s : write(payload);
        return client.axon(axonId).publish(NewEvent.of(eventType, origin, "test-client", text)).sequence();
    }

    /** The first event after the last one returned that matches, waiting for it. */
    AxonEvent next(Predicate<AxonEvent> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            while (position < seen.size()) {
                AxonEvent e = seen.get(position++);
                if (match.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + what + " within " + WAIT.toSeconds() + " s; the axon holds: " + summary());
            }
            Optional<AxonEvent> e = sub.poll(Duration.ofNanos(left));
            e.ifPresent(seen::add);
        }
    }

    /** Some event read so far or still to come that matches, in any order with the others; the position stays. */
    AxonEvent any(Predicate<AxonEvent> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (match.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + what + " within " + WAIT.toSeconds() + " s; the axon holds: " + summary());
            }
            sub.poll(Duration.ofNanos(left)).ifPresent(seen::add);
        }
    }

    /** The next event of {@code origin} and {@code type}. */
    AxonEvent next(Origin origin, String type) throws InterruptedException {
        return next(e -> e.origin() == origin && e.eventType().equals(type), origin + " " + type);
    }

    AxonEvent nextAgent(String type) throws InterruptedException {
        return next(Origin.AGENT_EVENT, type);
    }

    AxonEvent nextSystem(String type) throws InterruptedException {
        return next(Origin.SYSTEM_EVENT, type);
    }

    /** Every event read so far. */
    List<AxonEvent> seen() {
        return List.copyOf(seen);
    }

    /** Reads whatever has arrived without waiting for more. */
    List<AxonEvent> drain() throws InterruptedException {
        Optional<AxonEvent> e;
        while ((e = sub.poll(Duration.ZERO)).isPresent()) {
            seen.add(e.get());
        }
        return seen();
    }

    String summary() {
        StringBuilder b = new StringBuilder();
        for (AxonEvent e : seen) {
            b.append("\n  #").append(e.sequence()).append(' ').append(e.origin()).append(' ').append(e.eventType())
                    .append(' ').append(e.payload().length() > 160 ? e.payload().substring(0, 160) + "..." : e.payload());
        }
        return b.toString();
    }

    static JsonNode json(AxonEvent e) {
        try {
            return JSON.readTree(e.payload());
        } catch (Exception ex) {
            throw new AssertionError("payload of #" + e.sequence() + " is not JSON: " + e.payload(), ex);
        }
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        sub.close();
    }
}
