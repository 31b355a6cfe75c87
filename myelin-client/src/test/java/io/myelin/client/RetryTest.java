package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's retries against a real server, with a {@link FlakyProxy} in between to lose answers or answer in
 * the server's place: a write retried after its answer was lost applies once, the server's retry headers are
 * obeyed, client errors are not retried, and a call waits out a server that is not up yet.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class RetryTest {
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
    private static final String UNAVAILABLE = "{\"error\":{\"type\":\"unavailable\",\"message\":\"busy\",\"field\":null}}";

    @InjectServer
    static TestServer server;
    static MyelinClient direct;

    @BeforeAll
    static void start() {
        direct = Clients.of(server);
    }

    @AfterAll
    static void stop() {
        direct.close();
    }

    private final List<RetryAttempt> retries = new CopyOnWriteArrayList<>();

    /** A client that goes through {@code proxy}, retrying fast, recording each retry. */
    private MyelinClient through(FlakyProxy proxy) {
        return MyelinClient.builder().baseUrl(proxy.url()).apiKey(TestServer.ADMIN_KEY)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).retryListener(retries::add).build();
    }

    /** Runs {@code call} through a fresh proxy that loses the first answer; returns its result. */
    private <T> T withLostFirstAnswer(Function<MyelinClient, T> call) throws IOException {
        retries.clear();
        try (FlakyProxy proxy = new FlakyProxy(server.port()).dropAnswer(); MyelinClient client = through(proxy)) {
            T result = call.apply(client);
            assertThat(proxy.connections()).as("attempts").isEqualTo(2);
            List<String> keys = proxy.idempotencyKeys();
            assertThat(keys).as("one key per attempt, the same on both").hasSize(2).doesNotContainNull();
            assertThat(keys.get(1)).isEqualTo(keys.getFirst());
            assertThat(retries).hasSize(1);
            assertThat(retries.getFirst().failure()).isInstanceOf(MyelinConnectionException.class);
            return result;
        }
    }

    @Test
    void aPublishWhoseAnswerIsLostIsRetriedWithTheSameKeyAndAppendsOnce() throws IOException {
        String axon = direct.axons().create().id();
        Published p = withLostFirstAnswer(c -> c.axon(axon).publish(
                NewEvent.json("charge", Origin.EXTERNAL_EVENT, "billing", Map.of("cents", 100))));

        List<AxonEvent> history = direct.axon(axon).history().toList();
        assertThat(history).hasSize(1);
        assertThat(history.getFirst().sequence()).isEqualTo(p.sequence()).isEqualTo(1);
        assertThat(history.getFirst().timestampMs()).isEqualTo(p.timestampMs());
    }

    @Test
    void everyWriteCarriesAGeneratedKeyAndAppliesOnceWhenRetried() throws IOException {
        String name = "retry-" + System.nanoTime();
        Axon created = withLostFirstAnswer(c -> c.axons().create(name, Map.of("k", "v")));
        assertThat(direct.axons().list(AxonFilter.all().namePrefix(name)).stream().map(Axon::id)).containsExactly(created.id());
        AxonHandle axon = direct.axon(created.id());

        withLostFirstAnswer(c -> c.axons().updateMetadata(created.id(), Map.of("k", "w")));
        assertThat(axon.history().count()).isZero();

        List<Published> batch = withLostFirstAnswer(c -> c.axon(created.id()).publishBatch(List.of(
                NewEvent.of("a", Origin.AGENT_EVENT, "t", "{}"), NewEvent.of("b", Origin.AGENT_EVENT, "t", "{}"))));
        assertThat(batch).extracting(Published::sequence).containsExactly(1L, 2L);
        assertThat(axon.history().count()).isEqualTo(2);

        axon.sql().query("CREATE TABLE ledger (amount INTEGER)");
        withLostFirstAnswer(c -> c.axon(created.id()).sql().query("INSERT INTO ledger VALUES (?)", 5));
        withLostFirstAnswer(c -> c.axon(created.id()).sql().batch(List.of(SqlStatement.of("INSERT INTO ledger VALUES (7)"))));
        assertThat(axon.sql().query("SELECT count(*) AS n, sum(amount) AS total FROM ledger").asRows().getFirst())
                .satisfies(r -> assertThat(List.of(r.getLong("n"), r.getLong("total"))).containsExactly(2L, 12L));

        // A retried delete gets the first attempt's answer, not a 404 for the axon it already deleted.
        withLostFirstAnswer(c -> {
            c.axons().delete(created.id());
            return null;
        });
        assertThatThrownBy(() -> direct.axons().get(created.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void generatedKeysAreFreshPerCallAndACallersKeyIsSentAsGiven() throws IOException {
        String axon = direct.axons().create().id();
        try (FlakyProxy proxy = new FlakyProxy(server.port()); MyelinClient client = through(proxy)) {
            client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}"));
            client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}"));
            client.axon(axon).history(10, null);
            client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}"), "order-7");
            List<String> keys = proxy.idempotencyKeys();
            assertThat(keys).hasSize(3).doesNotHaveDuplicates();
            assertThat(keys.subList(0, 2)).allSatisfy(k -> assertThat(k).startsWith("myl-").hasSize(40));
            assertThat(keys.get(2)).isEqualTo("order-7");
        }
        Published again = withLostFirstAnswer(c -> c.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}"), "order-8"));
        assertThat(again.sequence()).isEqualTo(4);
        assertThat(direct.axon(axon).history().count()).isEqualTo(4);
    }

    @Test
    void retryAfterIsObeyedAndTheRetrySucceeds() throws IOException {
        String axon = direct.axons().create().id();
        try (FlakyProxy proxy = new FlakyProxy(server.port())
                .answer(503, Map.of("Retry-After", "1"), UNAVAILABLE)
                .answer(409, Map.of("Retry-After-Ms", "120", "Retry-After", "5"), UNAVAILABLE);
             MyelinClient client = through(proxy)) {
            Published p = client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}"));
            assertThat(p.sequence()).isEqualTo(1);
            assertThat(retries).extracting(RetryAttempt::delay).containsExactly(
                    // capped at the client's maximum backoff (50 ms here), as any Retry-After is
                    Duration.ofMillis(50), Duration.ofMillis(50));
            assertThat(retries).extracting(r -> ((MyelinApiException) r.failure()).status()).containsExactly(503, 409);
            assertThat(proxy.idempotencyKeys()).hasSize(3).containsOnly(proxy.idempotencyKeys().getFirst());
        }
        retries.clear();
        try (FlakyProxy proxy = new FlakyProxy(server.port()).answer(503, Map.of("Retry-After", "1"), UNAVAILABLE);
             MyelinClient client = MyelinClient.builder().baseUrl(proxy.url()).apiKey(TestServer.ADMIN_KEY)
                     .retryListener(retries::add).build()) {
            assertThat(client.axon(axon).history(5, null).events()).hasSize(1);
            assertThat(retries).extracting(RetryAttempt::delay).containsExactly(Duration.ofSeconds(1));
        }
    }

    @Test
    void xShouldRetryFalseIsObeyedOverTheStatus() throws IOException {
        String axon = direct.axons().create().id();
        try (FlakyProxy proxy = new FlakyProxy(server.port())
                .answer(503, Map.of("Retry-After", "1", "x-should-retry", "false"), UNAVAILABLE);
             MyelinClient client = through(proxy)) {
            assertThatThrownBy(() -> client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}")))
                    .isInstanceOfSatisfying(MyelinApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(proxy.connections()).isEqualTo(1);
            assertThat(retries).isEmpty();
        }
        try (FlakyProxy proxy = new FlakyProxy(server.port())
                .answer(400, Map.of("x-should-retry", "true"), UNAVAILABLE);
             MyelinClient client = through(proxy)) {
            assertThat(client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}")).sequence()).isEqualTo(1);
            assertThat(retries).hasSize(1);
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        String axon = direct.axons().create().id();
        try (FlakyProxy proxy = new FlakyProxy(server.port()); MyelinClient client = through(proxy)) {
            assertThatThrownBy(() -> client.axon("axn_missing").publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}")))
                    .isInstanceOf(NotFoundException.class);
            client.axon(axon).publish(NewEvent.of("a", Origin.USER_EVENT, "s", "{}"), "k-1");
            // The same key for a different event: the server's 422 (x-should-retry: false) ends the call at once.
            assertThatThrownBy(() -> client.axon(axon).publish(NewEvent.of("b", Origin.USER_EVENT, "s", "{}"), "k-1"))
                    .isInstanceOfSatisfying(MyelinApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.field()).isEqualTo("Idempotency-Key");
                    });
            assertThatThrownBy(() -> client.axon(axon).sql().query("SELEKT 1"))
                    .isInstanceOfSatisfying(MyelinApiException.class, e -> assertThat(e.status()).isEqualTo(400));
            assertThat(retries).isEmpty();
        }
    }

    @Test
    void aCallMadeWhileTheServerIsDownSucceedsOnceItComesUp() throws Exception {
        try (TestServer restarting = TestServer.start()) {
            String axon;
            try (MyelinClient c = Clients.of(restarting)) {
                axon = c.axons().create().id();
            }
            restarting.stop();
            CountDownLatch refused = new CountDownLatch(1);
            try (MyelinClient client = Clients.builder(restarting).maxRetries(1000)
                    .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                    .retryListener(r -> refused.countDown()).build()) {
                CompletableFuture<Published> publish = CompletableFuture.supplyAsync(
                        () -> client.axon(axon).publish(NewEvent.of("t", Origin.USER_EVENT, "s", "{}")), THREADS);
                assertThat(refused.await(60, TimeUnit.SECONDS)).as("the first attempt was refused").isTrue();
                restarting.restart();
                assertThat(publish.get(60, TimeUnit.SECONDS).sequence()).isEqualTo(1);
                assertThat(client.axon(axon).history().count()).isEqualTo(1);
            }
        }
    }

    @Test
    void retriesEndAtTheRetryCountOrTheCallTimeout() throws Exception {
        int port = Clients.closedPort();
        try (MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + port)
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).retryListener(retries::add).build()) {
            assertThatThrownBy(() -> client.axons().list().stream().findFirst())
                    .isInstanceOf(MyelinConnectionException.class)
                    .hasMessageContaining("connection refused").hasMessageContaining("after 3 attempts");
            assertThat(retries).extracting(RetryAttempt::retry).containsExactly(1, 2);
        }
        retries.clear();
        try (MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + port).maxRetries(Integer.MAX_VALUE)
                // long enough for a retry even when the first attempt is slow on a loaded machine
                .callTimeout(Duration.ofSeconds(3)).retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .retryListener(retries::add).build()) {
            assertThatThrownBy(() -> client.axons().create()).isInstanceOf(MyelinConnectionException.class);
            assertThat(retries).isNotEmpty();
        }
        retries.clear();
        try (MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + port).maxRetries(0).build()) {
            assertThatThrownBy(() -> client.axons().create()).isInstanceOf(MyelinConnectionException.class)
                    .hasMessageNotContaining("attempts");
        }
    }

    @Test
    void closingTheClientOrInterruptingTheCallerEndsARetryWait() throws Exception {
        int port = Clients.closedPort();
        CountDownLatch waiting = new CountDownLatch(1);
        MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + port).maxRetries(Integer.MAX_VALUE)
                .retryBackoff(Duration.ofMinutes(5), Duration.ofMinutes(5)).retryListener(r -> waiting.countDown()).build();
        CompletableFuture<Axon> call = CompletableFuture.supplyAsync(() -> client.axons().create(), THREADS);
        assertThat(waiting.await(60, TimeUnit.SECONDS)).isTrue();
        client.close();
        assertThatThrownBy(() -> call.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MyelinConnectionException.class).hasMessageContaining("client is closed");

        CountDownLatch waiting2 = new CountDownLatch(1);
        AtomicBoolean flagKept = new AtomicBoolean();
        try (MyelinClient c2 = MyelinClient.builder().baseUrl("http://127.0.0.1:" + port).maxRetries(Integer.MAX_VALUE)
                .retryBackoff(Duration.ofMinutes(5), Duration.ofMinutes(5)).retryListener(r -> waiting2.countDown()).build()) {
            CompletableFuture<MyelinException> failure = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    c2.axons().get("axn_1");
                } catch (MyelinException e) {
                    flagKept.set(Thread.currentThread().isInterrupted());
                    failure.complete(e);
                }
            });
            assertThat(waiting2.await(60, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            assertThat(failure.get(60, TimeUnit.SECONDS)).isInstanceOf(MyelinConnectionException.class)
                    .hasMessageContaining("interrupted while waiting to retry");
            assertThat(flagKept).isTrue();
        }
    }
}
