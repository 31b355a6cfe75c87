package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.Await;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions against a real server. The class's server never closes a stream for idleness within a test; the
 * idle close has its own server, whose idle timeout is short enough to fire during the test.
 */
@WithMyelinServer({"sse.heartbeat=300ms"})
class SubscriptionTest {
    @InjectServer
    static TestServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        client = Clients.builder(server).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static List<Long> take(Subscription sub, int n) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < n) {
            Optional<AxonEvent> e = sub.poll(Duration.ofSeconds(60));
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

    /**
     * A replay of 300 events into a buffer of 4: the reader waits for room again and again (backpressure), and
     * nothing is lost or reordered. That waiting for room is not taken for a silent stream is
     * {@link SubscriptionBufferTest}'s part, on a clock the test moves.
     */
    @Test
    void aConsumerWithATinyBufferGetsEverythingInOrder() throws Exception {
        try (MyelinClient small = Clients.builder(server).subscriptionBuffer(4).build()) {
            AxonHandle axon = small.axon(small.axons().create().id());
            List<NewEvent> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(NewEvent.json("n", Origin.EXTERNAL_EVENT, "test", Map.of("i", i)));
            }
            axon.publishBatch(batch);
            try (Subscription sub = axon.subscribe(0)) {
                assertThat(take(sub, 300)).containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
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

    /**
     * The server closes a stream that delivered nothing for its idle timeout (408); the subscription reconnects
     * after the last event it received. A proxy counts the stream requests, so each round waits for the idle close
     * and the reconnect to have happened instead of for a time longer than the timeout.
     */
    @Test
    void survivesTheServersIdleCloseWithoutGapOrDuplicate() throws Exception {
        try (TestServer idle = TestServer.start(Map.of("sse.idle-timeout", "500ms", "sse.heartbeat", "100ms"));
             FlakyProxy proxy = new FlakyProxy(idle.port());
             MyelinClient through = MyelinClient.builder().baseUrl(proxy.url()).apiKey(idle.adminKey())
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build()) {
            AxonHandle axon = through.axon(through.axons().create().id());
            try (Subscription sub = axon.subscribe(0)) {
                List<Long> seen = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    publish(axon, 2);
                    seen.addAll(take(sub, 2));
                    int streams = round + 2;
                    Await.until("the idle stream was closed and stream " + streams + " opened", Duration.ofSeconds(60),
                            () -> proxy.requests("/subscribe/sse"), n -> n >= streams);
                }
                publish(axon, 1);
                seen.addAll(take(sub, 1));
                assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
                assertThat(sub.poll(Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    @Test
    void streamEndsWhenClosedFromAnotherThread() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        publish(axon, 2);
        Subscription sub = axon.subscribe(0);
        CountDownLatch bothSeen = new CountDownLatch(1);
        Thread closer = Thread.ofVirtual().start(() -> {
            Await.latch("the stream handed out both events", Duration.ofSeconds(60), bothSeen);
            sub.close();
        });
        List<Long> seqs = sub.stream().map(AxonEvent::sequence).peek(seq -> {
            if (seq == 2) {
                bothSeen.countDown();
            }
        }).toList();
        assertThat(seqs).containsExactly(1L, 2L);
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
        MyelinClient own = Clients.of(server);
        AxonHandle axon = own.axon(own.axons().create().id());
        Subscription sub = axon.subscribe(0);
        own.close();
        assertThat(sub.state()).isEqualTo(SubscriptionState.CLOSED);
        assertThat(sub.poll(Duration.ofMillis(100))).isEmpty();
    }
}
