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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for an agent: answers every user message on an axon with a fixed script of AGENT_EVENTs. It publishes
 * with idempotency keys and its client retries through server outages, as a real agent should (give it a client
 * whose retries outlast the outages the test causes).
 *
 * <p>The test decides how far a turn gets: an agent built with {@code allowed} steps publishes that many steps
 * (counted over all its turns) and then waits until the test {@link #allow allows} more. So a test can stop or
 * kill the server in the middle of a turn without guessing how long a turn takes.
 */
final class ScriptedAgent implements AutoCloseable {
    record Step(String type, String payload) {
    }

    static List<Step> reply(String... deltas) {
        List<Step> steps = new ArrayList<>();
        for (String d : deltas) {
            steps.add(new Step("message.delta", "{\"text\":\"" + d + "\"}"));
        }
        steps.add(new Step("turn.completed", "{}"));
        return steps;
    }

    private final MyelinClient client;
    private final List<Step> steps;
    private final Semaphore allowed;
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** An agent that answers each turn in full at once. */
    ScriptedAgent(MyelinClient client, List<Step> steps) {
        this(client, steps, Integer.MAX_VALUE);
    }

    /** An agent that publishes {@code allowed} steps, then waits for {@link #allow}. */
    ScriptedAgent(MyelinClient client, List<Step> steps, int allowed) {
        this.client = client;
        this.steps = steps;
        this.allowed = new Semaphore(allowed);
    }

    /** Lets the agent publish {@code more} steps. */
    void allow(int more) {
        allowed.release(more);
    }

    /** Serves one known axon. */
    ScriptedAgent serve(String axonId) {
        if (served.add(axonId)) {
            start(() -> respond(client.axon(axonId)));
        }
        return this;
    }

    /** Serves every axon that {@code myelin exec} creates from now on (it looks for new ones every 100 ms). */
    ScriptedAgent serveNewExecAxons() {
        start(() -> {
            try {
                do {
                    client.axons().list(AxonFilter.all().metadata("created_by", "myelin exec")).forEach(a -> serve(a.id()));
                } while (!closed.await(100, TimeUnit.MILLISECONDS));
            } catch (InterruptedException | MyelinException e) {
                // closed
            }
        });
        return this;
    }

    private void start(Runnable work) {
        threads.add(Thread.ofVirtual().name("scripted-agent").start(work));
    }

    private void respond(AxonHandle axon) {
        try (Subscription sub = axon.subscribe(0)) {
            while (closed.getCount() > 0) {
                Optional<AxonEvent> e = sub.poll(Duration.ofMillis(200));
                if (e.isEmpty() || e.get().origin() != Origin.USER_EVENT || !e.get().eventType().equals("message")) {
                    continue;
                }
                long turn = e.get().sequence();
                for (int i = 0; i < steps.size(); i++) {
                    allowed.acquire();
                    Step step = steps.get(i);
                    // One key per step: a publish retried across a restart appends once.
                    axon.publish(NewEvent.of(step.type(), Origin.AGENT_EVENT, "agent", step.payload()),
                            "turn-" + turn + "-step-" + i);
                }
            }
        } catch (InterruptedException | MyelinException e) {
            // closed, or the client gave up: the test sees the turn stop
        }
    }

    @Override
    public void close() {
        closed.countDown();
        threads.forEach(Thread::interrupt);
    }
}
