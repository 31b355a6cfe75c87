package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The silence rule of the subscription watchdog, on a clock the test moves: no waiting, no timing. */
class SubscriptionBufferTest {
    private static final long SILENCE = Duration.ofSeconds(1).toNanos();

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SubscriptionBuffer buffer = new SubscriptionBuffer(0, 2, now::get);

    private static AxonEvent event(long seq) {
        return new AxonEvent("axn_1", seq, "t", Origin.AGENT_EVENT, "s", "{}", 1);
    }

    @Test
    void aStreamingConnectionWithoutAnyLineForTheSilenceTimeoutIsSilent() {
        buffer.enter(SubscriptionState.STREAMING);
        now.addAndGet(SILENCE);
        assertThat(buffer.silentFor(SILENCE)).as("exactly the timeout").isFalse();
        now.addAndGet(1);
        assertThat(buffer.silentFor(SILENCE)).isTrue();
        assertThat(buffer.silentFor(SILENCE)).as("answering true restarts the clock").isFalse();
    }

    @Test
    void heartbeatsKeepAStreamAlive() {
        buffer.enter(SubscriptionState.STREAMING);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(SILENCE / 2);
            buffer.touch();
            assertThat(buffer.silentFor(SILENCE)).isFalse();
        }
    }

    @Test
    void onlyAnOpenStreamCanBeSilent() {
        now.addAndGet(10 * SILENCE);
        assertThat(buffer.silentFor(SILENCE)).as("connecting").isFalse();
        buffer.enter(SubscriptionState.BACKING_OFF);
        now.addAndGet(10 * SILENCE);
        assertThat(buffer.silentFor(SILENCE)).as("backing off").isFalse();
    }

    /** A consumer that stops polling fills the buffer; the reader then waits for room, which is not silence. */
    @Test
    void aFullBufferIsASlowConsumerNotADeadStream() throws Exception {
        buffer.enter(SubscriptionState.STREAMING);
        buffer.offer(event(1));
        buffer.offer(event(2));
        now.addAndGet(10 * SILENCE);
        assertThat(buffer.silentFor(SILENCE)).as("full").isFalse();

        assertThat(buffer.poll(Duration.ZERO)).map(AxonEvent::sequence).contains(1L);
        assertThat(buffer.silentFor(SILENCE)).as("room made just now: the pause was ours").isFalse();
        now.addAndGet(SILENCE + 1);
        assertThat(buffer.silentFor(SILENCE)).as("room for a timeout, and still nothing").isTrue();
    }
}
