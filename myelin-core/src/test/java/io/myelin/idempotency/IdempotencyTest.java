package io.myelin.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.StorageOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Idempotency#once}: work outside the server database runs at most once per key. */
@Timeout(60)
class IdempotencyTest {
    Path dir;
    SqliteStores storage;
    Idempotency idempotency;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("myelin-idem");
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        idempotency = new Idempotency(storage.requests(), Duration.ofHours(24).toMillis(), java.time.InstantSource.system());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    static RequestKey key(String value, String request) {
        return new RequestKey(value, "Idempotency-Key", Fingerprint.builder().add(request).build());
    }

    static Reply reply(String body) {
        return new Reply(200, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameKeyFromAnotherCallerIsRefused() {
        Caller first = new Caller("key_a", Set.of(Scope.ADMIN), null, "r1");
        Caller other = new Caller("key_b", Set.of(Scope.ADMIN), null, "r2");
        assertThat(idempotency.once(first, "axn_a", key("k", "req"), Duration.ofSeconds(1), () -> reply("1")).body())
                .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        assertThat(idempotency.once(first, "axn_a", key("k", "req"), Duration.ofSeconds(1), () -> reply("2")).body())
                .as("a retry by the same caller gets the first answer").isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> idempotency.once(other, "axn_a", key("k", "req"), Duration.ofSeconds(1), () -> reply("3")))
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNPROCESSABLE));
    }

    @Test
    void fiftyConcurrentRetriesRunTheWorkOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "req"), Duration.ofSeconds(30), () -> {
                runs.incrementAndGet();
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return reply("answer");
            }), r -> Thread.ofVirtual().start(r)));
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (CompletableFuture<Reply> c : calls) {
            assertThat(new String(c.get().body(), StandardCharsets.UTF_8)).isEqualTo("answer");
        }
        assertThat(runs).hasValue(1);
        // And later, from the store.
        assertThat(idempotency.once(Caller.SYSTEM, "axn_a", key("k", "req"), Duration.ofSeconds(1), () -> {
            throw new AssertionError("must not run again");
        }).body()).isEqualTo("answer".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDifferentRequestUnderTheSameKeyIsRefused() {
        idempotency.once(Caller.SYSTEM, "axn_a", key("k", "one"), Duration.ofSeconds(1), () -> reply("1"));
        assertThatThrownBy(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "two"), Duration.ofSeconds(1), () -> reply("2")))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNPROCESSABLE);
                    assertThat(e.field()).isEqualTo("Idempotency-Key");
                });
        assertThat(idempotency.once(Caller.SYSTEM, "axn_b", key("k", "two"), Duration.ofSeconds(1), () -> reply("2")).body())
                .as("keys are scoped").isEqualTo("2".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void workThatAppliedNothingReleasesItsKey() {
        assertThatThrownBy(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> {
            throw MyelinException.invalid("sql", "no such table");
        })).isInstanceOf(MyelinException.class);
        assertThat(idempotency.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> reply("ran")).body())
                .isEqualTo("ran".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void workWithAnUnknownOutcomeIsNeverRunAgain() {
        assertThatThrownBy(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> {
            throw new MyelinException(ErrorKind.INTERNAL, null, "disk I/O error during COMMIT");
        })).isInstanceOf(MyelinException.class);
        assertThatThrownBy(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> reply("again")))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.getMessage()).contains("outcome is unknown");
                    assertThat(e.shouldRetry()).isFalse();
                });
    }

    @Test
    void aKeyLeftRunningByAnEarlierProcessHasAnUnknownOutcome() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> idempotency.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return reply("late");
        }));
        try {
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            Idempotency restarted = new Idempotency(storage.requests(), Duration.ofHours(24).toMillis(), java.time.InstantSource.system());
            assertThatThrownBy(() -> restarted.once(Caller.SYSTEM, "axn_a", key("k", "r"), Duration.ofSeconds(1), () -> reply("x")))
                    .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.getMessage()).contains("outcome is unknown"));
        } finally {
            never.countDown();
        }
    }

    @Test
    void expiryDeletesInChunks() {
        for (int i = 0; i < 12; i++) {
            idempotency.once(Caller.SYSTEM, "axn_a", key("k" + i, "r"), Duration.ofSeconds(1), () -> reply("x"));
        }
        Idempotency expireAll = new Idempotency(storage.requests(), -1, java.time.InstantSource.system());
        assertThat(expireAll.expireOnce()).isEqualTo(12);
        assertThat(idempotency.once(Caller.SYSTEM, "axn_a", key("k0", "other"), Duration.ofSeconds(1), () -> reply("new")).body())
                .isEqualTo("new".getBytes(StandardCharsets.UTF_8));
    }
}
