package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.Await;
import io.myelin.testkit.ServerProcess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Intents#await} outlives the server: killed ({@code kill -9}) while the await's long poll is parked on it,
 * restarted on the same port and data dir, the intent then resolved on the new server, and the same await call
 * returns the resolution.
 */
class IntentAwaitRestartTest {
    @Test
    @Timeout(300) // a JVM restart; slow on a loaded machine
    void awaitReturnsTheResolutionAcrossAKillAndRestart() throws Exception {
        CountDownLatch backingOff = new CountDownLatch(1);
        try (ServerProcess server = ServerProcess.onClasspath().start();
             MyelinClient client = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                     .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                     .retryListener(r -> backingOff.countDown())
                     .build();
             MyelinClient resolver = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey())
                     .maxRetries(Integer.MAX_VALUE).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            String axon = client.axons().create("await-restart", Map.of()).id();
            Intent asked = client.intents().create(axon, NewIntent.builder("deploy.approval", WaitingFor.HUMAN)
                    .title("Deploy?").deadlineIn(Duration.ofHours(1)).build());

            AtomicReference<Thread> awaiter = new AtomicReference<>();
            Future<Intent> awaited = pool.submit(() -> {
                awaiter.set(Thread.currentThread());
                return client.intents().await(asked.id(), Duration.ofMinutes(4));
            });
            // Parked in the long poll: the server holds the request, so the await's thread blocks on the answer.
            Await.until("the await is parked in its long poll", Duration.ofSeconds(60),
                    () -> awaiter.get() != null && awaiter.get().getState() == Thread.State.WAITING);

            server.kill9();
            Await.latch("the await backs off while the server is gone", Duration.ofSeconds(60), backingOff);
            assertThat(awaited).isNotDone();
            server.start();

            Intent approved = resolver.intents().approve(asked.id(), "after the restart");
            Intent seen = Await.result("the await returns the resolution", Duration.ofMinutes(2), awaited);
            assertThat(seen).isEqualTo(approved);
            assertThat(seen.resolution().outcome()).isEqualTo(IntentOutcome.APPROVED);
            assertThat(seen.resolution().comment()).isEqualTo("after the restart");
        }
    }
}
