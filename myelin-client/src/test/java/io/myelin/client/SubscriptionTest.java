package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriptions against a real server whose idle timeout is short enough to fire during the test. */
class SubscriptionTest {
    static LocalServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        server = LocalServer.start(Map.of("sse.idle-timeout", "1s", "sse.heartbeat", "300ms"));
        client = server.clientBuilder().reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static List<Long> take(Subscription sub, int n) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < n) {
            Optional<AxonEvent> e = sub.poll(Duration.ofSeconds(15));
            assertThat(e).as("event %d of %d", seqs.size() + 1, n).isPresent();
            seqs.add(e.get().sequence());
        }
        return seqs;
    }

    private static void publish(AxonHandle axon, int n) {
        for (int i = 0; i < n; i++) {
            axon.publish(NewEvent.json("tick", Origin.AGENT_EVENT, "test", Map.of("i", i)));
        }
    }

    @Test
    void replaysThenDeliversLiveEvents() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        publish(axon, 3);
        try (Subscription sub = axon.subscribe(0)) {
            assertThat(take(sub, 3)).containsExactly(1L, 2L, 3L);
            publish(axon, 2);
            assertThat(take(sub, 2)).containsExactly(4L, 5L);
            assertThat(sub.lastSequence()).isEqualTo(5);
            assertThat(sub.state()).isEqualTo(SubscriptionState.STREAMING);
        }
    }

    @Test
    void aSlowConsumerWithATinyBufferStillGetsEverythingInOrder() throws Exception {
        try (MyelinClient small = server.clientBuilder().subscriptionBuffer(4).streamSilenceTimeout(Duration.ofMillis(500)).build()) {
            AxonHandle axon = small.axon(small.axons().create().id());
            List<NewEvent> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(NewEvent.json("n", Origin.EXTERNAL_EVENT, "test", Map.of("i", i)));
            }
            axon.publishBatch(batch);
            try (Subscription sub = axon.subscribe(0)) {
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    if (i % 50 == 0) {
                        Thread.sleep(700); // longer than the silence timeout: a full buffer is not a dead stream
                    }
                    seen.add(sub.poll(Duration.ofSeconds(10)).orElseThrow().sequence());
                }
                assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
            }
        }
    }

    @Test
    void manySubscriptionsOnOneClientEachSeeEveryEvent() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subs.add(axon.subscribe(0));
        }
        try {
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                publishers.add(Thread.ofVirtual().start(() -> publish(axon, 25)));
            }
            for (Thread t : publishers) {
                t.join();
            }
            for (Subscription sub : subs) {
                assertThat(take(sub, 100)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            }
        } finally {
            subs.forEach(Subscription::close);
        }
    }

    @Test
    void startsAfterTheGivenSequence() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        publish(axon, 5);
        try (Subscription sub = axon.subscribe(3)) {
            AxonEvent e = sub.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(e.sequence()).isEqualTo(4);
            assertThat(e.eventType()).isEqualTo("tick");
            assertThat(e.origin()).isEqualTo(Origin.AGENT_EVENT);
            assertThat(e.payload()).isEqualTo("{\"i\":3}");
        }
    }

    @Test
    void survivesTheServersIdleCloseWithoutGapOrDuplicate() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        try (Subscription sub = axon.subscribe(0)) {
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                publish(axon, 2);
                seen.addAll(take(sub, 2));
                Thread.sleep(1_600); // longer than the idle timeout: the server closes the stream with a 408
            }
            publish(axon, 1);
            seen.addAll(take(sub, 1));
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
            assertThat(sub.poll(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void streamEndsWhenClosedFromAnotherThread() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        publish(axon, 2);
        Subscription sub = axon.subscribe(0);
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            sub.close();
        });
        assertThat(sub.stream().map(AxonEvent::sequence).toList()).containsExactly(1L, 2L);
        closer.join();
        assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
    }

    @Test
    void deletingTheAxonEndsItsSubscriptionsWithNotFound() throws Exception {
        Axon a = client.axons().create();
        AxonHandle axon = client.axon(a.id());
        publish(axon, 1);
        try (Subscription sub = axon.subscribe(0)) {
            assertThat(take(sub, 1)).containsExactly(1L);
            client.axons().delete(a.id());
            assertThatThrownBy(() -> {
                while (true) {
                    sub.poll(Duration.ofSeconds(10));
                }
            }).isInstanceOf(NotFoundException.class);
            assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
        }
    }

    @Test
    void subscribingToAMissingAxonFails() {
        try (Subscription sub = client.axon("axn_nope").subscribe(0)) {
            assertThatThrownBy(() -> sub.poll(Duration.ofSeconds(10))).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void closingTheClientClosesItsSubscriptions() throws Exception {
        MyelinClient own = server.client();
        AxonHandle axon = own.axon(own.axons().create().id());
        Subscription sub = axon.subscribe(0);
        own.close();
        assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
        assertThat(sub.poll(Duration.ofMillis(100))).isEmpty();
    }
}
