package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promise that matters most: a subscriber keeps receiving, with no gap and no duplicate, while the server
 * is killed ({@code kill -9}) and restarted underneath it, on the same port and data dir.
 */
class ServerRestartTest {

    @Test
    @Timeout(240)
    void subscriberReceivesEveryEventOnceAcrossKillAndRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("myelin-crash");
        try (ServerProcess server = new ServerProcess(dataDir, List.of()).start();
             MyelinClient client = MyelinClient.builder().baseUrl(server.url()).apiKey(LocalServer.ADMIN_KEY)
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build()) {
            AxonHandle axon = client.axon(client.axons().create("crash-test", Map.of()).id());
            Set<SubscriptionState> statesSeen = Collections.newSetFromMap(new ConcurrentHashMap<>());

            // The publisher retries through the outage; the idempotency key makes each retry append at most once.
            AtomicBoolean stop = new AtomicBoolean();
            List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
            Thread publisher = Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    NewEvent e = NewEvent.json("tick", Origin.AGENT_EVENT, "publisher", Map.of("i", i));
                    while (!stop.get()) {
                        try {
                            axon.publish(e, "tick-" + i);
                            acknowledged.add(i);
                            break;
                        } catch (MyelinConnectionException | MyelinApiException down) {
                            sleep(50);
                        }
                    }
                    sleep(5);
                }
            });

            List<AxonEvent> received = new ArrayList<>();
            try (Subscription sub = axon.subscribe(0)) {
                Thread watcher = Thread.ofVirtual().start(() -> {
                    while (sub.state() != SubscriptionState.CLOSED) {
                        statesSeen.add(sub.state());
                        sleep(5);
                    }
                });
                receiveAtLeast(sub, received, 50);
                for (int crash = 0; crash < 2; crash++) {
                    server.kill();
                    sleep(300);
                    server.start();
                    receiveAtLeast(sub, received, received.size() + 50);
                }
                stop.set(true);
                publisher.join();
                // Drain whatever was acknowledged before the publisher stopped.
                int expected = acknowledged.size();
                receiveAtLeast(sub, received, expected);
                assertThat(sub.poll(Duration.ofMillis(500))).isEmpty();
                watcher.interrupt();
            }

            List<Long> seqs = received.stream().map(AxonEvent::sequence).toList();
            assertThat(seqs).as("gap-free, duplicate-free sequence").containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            List<String> payloads = received.stream().map(AxonEvent::payload).toList();
            List<String> expectedPayloads = new ArrayList<>();
            for (int i = 0; i < acknowledged.size(); i++) {
                expectedPayloads.add("{\"i\":" + i + "}");
            }
            // Every acknowledged publish arrived once, in order. (An unacknowledged last attempt may also have
            // landed, so the log may hold one more than was acknowledged.)
            assertThat(payloads.subList(0, expectedPayloads.size())).containsExactlyElementsOf(expectedPayloads);
            assertThat(payloads.size()).isBetween(expectedPayloads.size(), expectedPayloads.size() + 1);
            assertThat(statesSeen).containsAll(EnumSet.of(SubscriptionState.STREAMING, SubscriptionState.BACKING_OFF));
        } finally {
            LocalServer.deleteTree(dataDir);
            Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + "-server.log"));
        }
    }

    private static void receiveAtLeast(Subscription sub, List<AxonEvent> into, int n) throws InterruptedException {
        while (into.size() < n) {
            Optional<AxonEvent> e = sub.poll(Duration.ofSeconds(60));
            assertThat(e).as("event %d", into.size() + 1).isPresent();
            into.add(e.get());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
