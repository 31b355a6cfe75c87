package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class EventsTest {
    @InjectServer
    static TestServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        client = Clients.of(server);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void publishThenReadHistoryNewestFirst() {
        AxonHandle axon = client.axon(client.axons().create().id());
        Published first = axon.publish(NewEvent.json("message", Origin.USER_EVENT, "test", Map.of("text", "hello")));
        Published second = axon.publish(NewEvent.of("reply", Origin.AGENT_EVENT, "agent", "{\"text\":\"hi\"}"));
        assertThat(second.sequence()).isGreaterThan(first.sequence());

        EventPage page = axon.history(10, null);
        assertThat(page.events()).extracting(AxonEvent::eventType).containsExactly("reply", "message");
        AxonEvent msg = page.events().get(1);
        assertThat(msg.axonId()).isEqualTo(axon.id());
        assertThat(msg.origin()).isEqualTo(Origin.USER_EVENT);
        assertThat(msg.source()).isEqualTo("test");
        assertThat(msg.payload()).isEqualTo("{\"text\":\"hello\"}");
        assertThat(msg.sequence()).isEqualTo(first.sequence());
        assertThat(msg.timestampMs()).isEqualTo(first.timestampMs());
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void idempotencyKeyAppendsOnce() {
        AxonHandle axon = client.axon(client.axons().create().id());
        NewEvent e = NewEvent.json("charge", Origin.EXTERNAL_EVENT, "billing", Map.of("cents", 100));
        Published a = axon.publish(e, "charge-42");
        Published b = axon.publish(e, "charge-42");
        assertThat(b).isEqualTo(a);
        assertThat(axon.history(10, null).events()).hasSize(1);
    }

    @Test
    void batchAppendsInOrderAndHistoryPagesBackwards() {
        AxonHandle axon = client.axon(client.axons().create().id());
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            batch.add(NewEvent.json("n", Origin.EXTERNAL_EVENT, "test", Map.of("i", i)));
        }
        List<Published> results = axon.publishBatch(batch);
        assertThat(results).extracting(Published::sequence).isSorted().hasSize(25);

        EventPage newest = axon.history(10, null);
        assertThat(newest.hasMore()).isTrue();
        EventPage older = axon.history(10, newest.nextCursor());
        assertThat(older.events().getFirst().sequence()).isEqualTo(newest.nextCursor() - 1);

        List<Long> all = axon.history().map(AxonEvent::sequence).toList();
        long last = results.getLast().sequence();
        assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(last - 24, last).map(s -> last - 24 + last - s).boxed().toList());
    }

    @Test
    void concurrentPublishersGetDistinctSequences() throws Exception {
        AxonHandle axon = client.axon(client.axons().create().id());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Published>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> axon.publish(NewEvent.json("n", Origin.AGENT_EVENT, "t", Map.of("i", n)))));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<Published> f : futures) {
                seqs.add(f.get().sequence());
            }
            assertThat(seqs).doesNotHaveDuplicates().hasSize(200);
        }
    }

    @Test
    void publishingToAMissingAxonIsNotFound() {
        assertThatThrownBy(() -> client.axon("axn_missing").publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> NewEvent.of("t", Origin.SYSTEM_EVENT, "s", "{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
