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
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's intent calls against a real server: create, paging, inbox, resolution, await, the typed 409. */
@Timeout(120)
@WithMyelinServer
class IntentsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private static String newAxon() {
        return client.axons().create("intents-" + UUID.randomUUID(), Map.of()).id();
    }

    private static NewIntent approval(String assignee) {
        return NewIntent.builder("refund.approval", WaitingFor.HUMAN).title("Refund order 1234?")
                .payload(Map.of("order", 1234)).assignee(assignee).build();
    }

    @Test
    void createReadAndAnIdempotentRepeat() {
        String axon = newAxon();
        Intent created = client.intents().create(axon, refundWithDeadline(), "refund-1234");
        assertThat(created.id()).startsWith("int_");
        assertThat(created.axonId()).isEqualTo(axon);
        assertThat(created.status()).isEqualTo(IntentStatus.WAITING);
        assertThat(created.waiting()).isTrue();
        assertThat(created.payload().get("order").asInt()).isEqualTo(1234);
        assertThat(created.remindEveryMs()).isEqualTo(600_000L);
        assertThat(created.nextRemindAtMs()).isEqualTo(created.createdAtMs() + 600_000L);
        assertThat(created.deadlineMs()).isEqualTo(created.createdAtMs() + 3_600_000L);
        assertThat(created.onDeadline()).isEqualTo(OnDeadline.ESCALATE);
        assertThat(created.escalateTo()).isEqualTo("bob");
        assertThat(created.escalationLevel()).isZero();
        assertThat(created.resolution()).isNull();
        assertThat(client.intents().get(created.id())).isEqualTo(created);

        Intent repeat = client.intents().create(axon, refundWithDeadline(), "refund-1234");
        assertThat(repeat).as("the same request rebuilt under the same key: the original").isEqualTo(created);
        assertThat(client.intents().list(IntentFilter.all().axonId(axon)).stream()).hasSize(1);
    }

    /** Built anew on each call: deadlineIn is a delay the server counts from creation, so both builds are equal. */
    private static NewIntent refundWithDeadline() {
        return NewIntent.builder("refund.approval", WaitingFor.HUMAN)
                .title("Refund order 1234?").payload(Map.of("order", 1234)).assignee("alice")
                .deadlineIn(Duration.ofHours(1)).remindEvery(Duration.ofMinutes(10))
                .onDeadline(OnDeadline.ESCALATE).escalateTo("bob").build();
    }

    @Test
    void theActingUserIsRecordedAsTheResolvingUser() {
        Intent asked = client.intents().create(newAxon(), approval("alice"));
        try (MyelinClient alice = Clients.builder(server).actingUser("alice@example.com").build()) {
            Intent approved = alice.intents().approve(asked.id(), "fine");
            assertThat(approved.resolution().resolvedByUser()).isEqualTo("alice@example.com");
            assertThat(approved.resolution().resolvedBy()).startsWith("key_");
        }
        Intent other = client.intents().create(newAxon(), approval("alice"));
        assertThat(client.intents().cancel(other.id(), "no").resolution().resolvedByUser()).isNull();
        assertThatThrownBy(() -> MyelinClient.builder().actingUser("alice smith"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actingUser");
        assertThatThrownBy(() -> MyelinClient.builder().actingUser("a".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128");
    }

    @Test
    void listingPagesThroughEveryMatchInCreatedOrder() {
        String axon = newAxon();
        String who = "pager-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(client.intents().create(axon, approval(who)).id());
        }
        String tool = client.intents().create(axon, NewIntent.builder("ci.run", WaitingFor.TOOL).build()).id();

        assertThat(client.intents().list(IntentFilter.all().axonId(axon).pageSize(3)).stream().map(Intent::id))
                .containsExactlyElementsOf(concat(ids, tool));
        assertThat(client.intents().inbox(IntentFilter.all().assignee(who).pageSize(2)).stream().map(Intent::id))
                .containsExactlyElementsOf(ids);
        assertThat(client.intents().list(IntentFilter.all().axonId(axon).waitingFor(WaitingFor.TOOL)).stream()
                .map(Intent::id)).containsExactly(tool);
        assertThat(client.intents().list(IntentFilter.all().axonId(axon).kind("ci.run")).stream().map(Intent::id))
                .containsExactly(tool);

        client.intents().approve(ids.getFirst(), "ok");
        client.intents().cancel(ids.get(1), "not needed");
        assertThat(client.intents().inbox(IntentFilter.all().assignee(who)).stream().map(Intent::id))
                .containsExactlyElementsOf(ids.subList(2, ids.size()));
        assertThat(client.intents().list(IntentFilter.all().axonId(axon).status(IntentStatus.CANCELLED)).stream()
                .map(Intent::id)).containsExactly(ids.get(1));
        assertThat(client.intents().inbox().stream().map(Intent::id)).contains(ids.get(2)).doesNotContain(tool);
    }

    private static List<String> concat(List<String> first, String last) {
        List<String> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }

    @Test
    void awaitReturnsOnceAnotherThreadResolves() throws Exception {
        Intent asked = client.intents().create(newAxon(), approval("alice"));
        CountDownLatch polling = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Intent> awaited = pool.submit(() -> {
                polling.countDown();
                return client.intents().await(asked.id(), WAIT);
            });
            Await.latch("the awaiter started", WAIT, polling);
            Intent resolved = client.intents().resolve(asked.id(), IntentOutcome.COMPLETED, Map.of("refund_id", "r_9"), "done");
            Intent seen = Await.result("the await returns", WAIT, awaited);
            assertThat(seen).isEqualTo(resolved);
            assertThat(seen.status()).isEqualTo(IntentStatus.COMPLETED);
            assertThat(seen.resolution().outcome()).isEqualTo(IntentOutcome.COMPLETED);
            assertThat(seen.resolution().result().get("refund_id").asText()).isEqualTo("r_9");
            assertThat(seen.resolution().comment()).isEqualTo("done");
            assertThat(seen.resolution().resolvedBy()).isNotBlank();
            assertThat(seen.resolvedAtMs()).isNotNull();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void awaitEndsAtItsTimeoutWithTheIntentStillWaiting() {
        Intent asked = client.intents().create(newAxon(), approval("alice"));
        assertThatThrownBy(() -> client.intents().await(asked.id(), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(IntentTimeoutException.class, e -> {
                    assertThat(e.intent().id()).isEqualTo(asked.id());
                    assertThat(e.intent().waiting()).isTrue();
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(e.getMessage()).contains(asked.id(), "still waiting");
                });
        assertThatThrownBy(() -> client.intents().await(asked.id(), Duration.ZERO)).isInstanceOf(IntentTimeoutException.class);
        assertThatThrownBy(() -> client.intents().await("int_doesnotexist000000000000", WAIT)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aTimeIntentFiresByItself() {
        Intent timer = client.intents().create(newAxon(), NewIntent.builder("wake", WaitingFor.TIME)
                .fireIn(Duration.ofMillis(500)).build());
        Intent fired = client.intents().await(timer.id(), WAIT);
        assertThat(fired.status()).isEqualTo(IntentStatus.COMPLETED);
        assertThat(fired.resolution().outcome()).isEqualTo(IntentOutcome.FIRED);
        assertThat(fired.resolution().resolvedBy()).isEqualTo("system");
    }

    @Test
    void exactlyOneOfManyResolversWinsAndTheOthersGetTheTypedConflict() throws Exception {
        Intent asked = client.intents().create(newAxon(), approval("alice"));
        int resolvers = 8;
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < resolvers; i++) {
                String comment = "resolver " + i;
                all.add(threads.submit(() -> {
                    go.await();
                    try {
                        outcomes.add(client.intents().approve(asked.id(), comment));
                    } catch (IntentConflictException e) {
                        outcomes.add(e);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                Await.result("a resolver answered", WAIT, f);
            }
        }

        List<Intent> winners = outcomes.stream().filter(Intent.class::isInstance).map(Intent.class::cast).toList();
        assertThat(winners).hasSize(1);
        List<IntentConflictException> losers = outcomes.stream().filter(IntentConflictException.class::isInstance)
                .map(IntentConflictException.class::cast).toList();
        assertThat(losers).hasSize(resolvers - 1).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.intent()).isEqualTo(winners.getFirst());
        });
        assertThatThrownBy(() -> client.intents().cancel(asked.id(), "too late"))
                .isInstanceOfSatisfying(IntentConflictException.class,
                        e -> assertThat(e.intent().resolution().comment()).isEqualTo(winners.getFirst().resolution().comment()));
    }

    @Test
    void cancelRecordsTheReason() {
        Intent asked = client.intents().create(newAxon(), approval("alice"));
        Intent cancelled = client.intents().cancel(asked.id(), "the customer withdrew");
        assertThat(cancelled.status()).isEqualTo(IntentStatus.CANCELLED);
        assertThat(cancelled.resolution().outcome()).isEqualTo(IntentOutcome.CANCELLED);
        assertThat(cancelled.resolution().comment()).isEqualTo("the customer withdrew");
        assertThat(client.intents().await(asked.id(), WAIT)).isEqualTo(cancelled);
        assertThatThrownBy(() -> client.intents().reject(asked.id(), "no")).isInstanceOf(IntentConflictException.class);
    }

    @Test
    void refusalsNameTheField() {
        assertThatThrownBy(() -> client.intents().get("int_doesnotexist000000000000")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.intents().create("axn_doesnotexist", approval("alice"))).isInstanceOf(NotFoundException.class);
        String axon = newAxon();
        assertThatThrownBy(() -> client.intents().create(axon, NewIntent.builder("wake", WaitingFor.TIME).build()))
                .isInstanceOfSatisfying(MyelinApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("fire_at_ms");
                });
        assertThatThrownBy(() -> client.intents().resolve("int_x", IntentOutcome.EXPIRED, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.intents().await("int_x", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
