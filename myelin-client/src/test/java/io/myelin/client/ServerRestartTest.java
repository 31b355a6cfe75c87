package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promise that matters most: a subscriber keeps receiving, with no gap and no duplicate, while the server
 * is killed ({@code kill -9}) and restarted underneath it, on the same port and data dir.
 *
 * <p>Each step waits for what it needs to have happened: the subscriber has events before a kill, it is backing
 * off (the server is gone) before the restart, and it has events from the new server before the next kill. The
 * publisher stays at most {@value #AHEAD} events ahead of the subscriber, so the run is bounded by the receiving,
 * and it stops between calls, so every event in the log was acknowledged.
 */
class ServerRestartTest {
    private static final int AHEAD = 20;

    @Test
    @Timeout(600) // two JVM restarts; slow on a loaded machine
    void subscriberReceivesEveryEventOnceAcrossKillAndRestart() throws Exception {
        try (ServerProcess server = ServerProcess.onClasspath().start();
             MyelinClient client = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                     // the publisher's calls wait out the outage themselves, with the same idempotency key
                     .maxRetries(Integer.MAX_VALUE).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build()) {
            AxonHandle axon = client.axon(client.axons().create("crash-test", Map.of()).id());

            Semaphore mayPublish = new Semaphore(AHEAD);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
            List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
            Thread publisher = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; ; i++) {
                        mayPublish.acquire();
                        if (stop.get()) {
                            return;
                        }
                        axon.publish(NewEvent.json("tick", Origin.AGENT_EVENT, "publisher", Map.of("i", i)), "tick-" + i);
                        acknowledged.add(i);
                    }
                } catch (InterruptedException | RuntimeException e) {
                    publisherFailure.set(e);
                }
            });

            List<AxonEvent> received = new ArrayList<>();
            try (Subscription sub = axon.subscribe(0)) {
                receiveAtLeast(sub, received, 50, mayPublish, publisherFailure);
                for (int crash = 0; crash < 2; crash++) {
                    server.kill9();
                    Await.until("the subscription backs off while the server is gone", Duration.ofSeconds(60),
                            sub::state, s -> s == SubscriptionState.BACKING_OFF);
                    server.start();
                    receiveAtLeast(sub, received, received.size() + 50, mayPublish, publisherFailure);
                }
                // The publisher ends after the call it is in: every publish it made was acknowledged.
                stop.set(true);
                mayPublish.release();
                publisher.join();
                assertThat(publisherFailure.get()).as("publisher failure").isNull();
                receiveAtLeast(sub, received, acknowledged.size(), null, publisherFailure);
                assertThat(sub.poll(Duration.ofMillis(500))).as("nothing beyond what was acknowledged").isEmpty();
            }

            List<Long> seqs = received.stream().map(AxonEvent::sequence).toList();
            assertThat(seqs).as("gap-free, duplicate-free sequence").containsExactlyElementsOf(
                    LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            List<String> expectedPayloads = new ArrayList<>();
            for (int i = 0; i < acknowledged.size(); i++) {
                expectedPayloads.add("{\"i\":" + i + "}");
            }
            assertThat(received.stream().map(AxonEvent::payload).toList()).as("every acknowledged publish, once, in order")
                    .containsExactlyElementsOf(expectedPayloads);
        }
    }

    /** Receives until {@code into} holds {@code n} events, letting the publisher go one further per event. */
    private static void receiveAtLeast(Subscription sub, List<AxonEvent> into, int n, Semaphore mayPublish,
                                       AtomicReference<Throwable> publisherFailure) throws InterruptedException {
        while (into.size() < n) {
            Optional<AxonEvent> e = sub.poll(Duration.ofSeconds(60));
            int next = into.size() + 1;
            assertThat(e).as(() -> "event " + next + " (publisher failure: " + publisherFailure.get() + ")").isPresent();
            into.add(e.get());
            if (mayPublish != null) {
                mayPublish.release();
            }
        }
    }
}
