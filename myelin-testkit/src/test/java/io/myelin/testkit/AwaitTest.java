package io.myelin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsTheFirstValueThatSatisfiesTheCondition() {
        AtomicInteger probes = new AtomicInteger();
        int value = Await.until("the third probe", Duration.ofSeconds(30), probes::incrementAndGet, n -> n >= 3);
        assertThat(value).isEqualTo(3);
    }

    @Test
    void aMissedDeadlineSaysWhatWasAwaitedAndWhatWasSeenLast() {
        assertThatThrownBy(() -> Await.until("the answer", Duration.ofMillis(20), () -> 41, n -> n == 42))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within 20ms: the answer; last seen: 41");
        assertThatThrownBy(() -> Await.until("a connection", Duration.ofMillis(20), () -> {
            throw new IOException("connection refused");
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a connection; last seen: java.io.IOException: connection refused")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void latchesAndFutures() {
        CountDownLatch two = new CountDownLatch(2);
        two.countDown();
        assertThatThrownBy(() -> Await.latch("both replies", Duration.ofMillis(10), two))
                .hasMessage("not within 10ms: both replies; still waiting for 1 count-down(s)");
        two.countDown();
        Await.latch("both replies", Duration.ofSeconds(1), two);

        assertThat(Await.result("a value", Duration.ofSeconds(30), CompletableFuture.completedFuture("v"))).isEqualTo("v");
        assertThatThrownBy(() -> Await.result("a failing task", Duration.ofSeconds(30),
                CompletableFuture.failedFuture(new IllegalStateException("boom"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> Await.result("a task that never ends", Duration.ofMillis(10), new CompletableFuture<>()))
                .isInstanceOf(AssertionError.class).hasMessage("not within 10ms: a task that never ends");
    }
}
