package io.myelin.cli;

import io.myelin.client.AxonEvent;
import io.myelin.client.AxonFilter;
import io.myelin.client.AxonHandle;
import io.myelin.client.MyelinClient;
import io.myelin.client.MyelinException;
import io.myelin.client.NewEvent;
import io.myelin.client.Origin;
import io.myelin.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for an agent: answers every user message on an axon with a fixed script of AGENT_EVENTs, one per
 * {@code delay}. Publishes with idempotency keys and retries through server outages, as a real agent should.
 */
final class ScriptedAgent implements AutoCloseable {
    record Step(String type, String payload) {
    }

    static List<Step> reply(String... deltas) {
        List<Step> steps = new java.util.ArrayList<>();
        for (String d : deltas) {
            steps.add(new Step("message.delta", "{\"text\":\"" + d + "\"}"));
        }
        steps.add(new Step("turn.completed", "{}"));
        return steps;
    }

    private final MyelinClient client;
    private final List<Step> steps;
    private final Duration delay;
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ScriptedAgent(MyelinClient client, List<Step> steps, Duration delay) {
        this.client = client;
        this.steps = steps;
        this.delay = delay;
    }

    /** Serves one known axon. */
    ScriptedAgent serve(String axonId) {
        if (served.add(axonId)) {
            Thread.ofVirtual().start(() -> respond(client.axon(axonId)));
        }
        return this;
    }

    /** Serves every axon that {@code myelin exec} creates from now on. */
    ScriptedAgent serveNewExecAxons() {
        Thread.ofVirtual().start(() -> {
            while (!closed) {
                try {
                    client.axons().list(AxonFilter.all().metadata("created_by", "myelin exec"))
                            .forEach(a -> serve(a.id()));
                } catch (MyelinException e) {
                    // server briefly away: try again
                }
                sleep(Duration.ofMillis(100));
            }
        });
        return this;
    }

    private void respond(AxonHandle axon) {
        try (Subscription sub = axon.subscribe(0)) {
            while (!closed) {
                Optional<AxonEvent> e = sub.poll(Duration.ofMillis(200));
                if (e.isEmpty() || e.get().origin() != Origin.USER_EVENT || !e.get().eventType().equals("message")) {
                    continue;
                }
                long turn = e.get().sequence();
                for (int i = 0; i < steps.size() && !closed; i++) {
                    sleep(delay);
                    publish(axon, steps.get(i), "turn-" + turn + "-step-" + i);
                }
            }
        } catch (InterruptedException | MyelinException e) {
            // test over
        }
    }

    private void publish(AxonHandle axon, Step step, String key) {
        while (!closed) {
            try {
                axon.publish(NewEvent.of(step.type(), Origin.AGENT_EVENT, "agent", step.payload()), key);
                return;
            } catch (MyelinException e) {
                sleep(Duration.ofMillis(100)); // the server is restarting: the key makes the retry safe
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
