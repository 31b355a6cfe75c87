package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Intents#await} while no server listens: it keeps asking, with backoff, until its timeout; closing the
 * client or interrupting the caller ends it at once.
 */
@Timeout(60)
class IntentAwaitOfflineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anUnreachableServerIsAskedAgainUntilTheTimeout() throws Exception {
        List<RetryAttempt> retries = new CopyOnWriteArrayList<>();
        try (MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + Clients.closedPort())
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).retryListener(retries::add).build()) {
            assertThatThrownBy(() -> client.intents().await("int_1", Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(IntentTimeoutException.class, e -> {
                        assertThat(e.intent()).as("no answer ever came").isNull();
                        assertThat(e.getCause()).isInstanceOf(MyelinConnectionException.class);
                        assertThat(e.getMessage()).contains("int_1 could not be read", "connection refused");
                    });
            assertThat(retries).as("it asked again, more than the retry count would allow").hasSizeGreaterThan(2)
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/intents/int_1"));
        }
    }

    @Test
    void closingTheClientOrInterruptingTheCallerEndsTheWait() throws Exception {
        CountDownLatch backingOff = new CountDownLatch(1);
        MyelinClient client = MyelinClient.builder().baseUrl("http://127.0.0.1:" + Clients.closedPort())
                .retryBackoff(Duration.ofMinutes(5), Duration.ofMinutes(5)).retryListener(r -> backingOff.countDown()).build();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Intent> awaited = pool.submit(() -> client.intents().await("int_1", Duration.ofMinutes(10)));
            Await.latch("the await backs off", WAIT, backingOff);
            client.close();
            assertThatThrownBy(() -> Await.result("the await ends", WAIT, awaited))
                    .isInstanceOf(MyelinConnectionException.class).hasMessageContaining("client is closed");
        }

        CountDownLatch backingOff2 = new CountDownLatch(1);
        AtomicBoolean flagKept = new AtomicBoolean();
        try (MyelinClient c2 = MyelinClient.builder().baseUrl("http://127.0.0.1:" + Clients.closedPort())
                .retryBackoff(Duration.ofMinutes(5), Duration.ofMinutes(5)).retryListener(r -> backingOff2.countDown()).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread[] caller = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<MyelinException> failure = pool.submit(() -> {
                caller[0] = Thread.currentThread();
                started.countDown();
                try {
                    c2.intents().await("int_1", Duration.ofMinutes(10));
                    return null;
                } catch (MyelinException e) {
                    flagKept.set(Thread.currentThread().isInterrupted());
                    return e;
                }
            });
            Await.latch("the caller started", WAIT, started);
            Await.latch("the await backs off", WAIT, backingOff2);
            caller[0].interrupt();
            assertThat(Await.result("the await ends", WAIT, failure)).isInstanceOf(MyelinConnectionException.class)
                    .hasMessageContaining("interrupted while waiting to retry");
            assertThat(flagKept).isTrue();
        }
    }
}
