package io.myelin.client.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.myelin.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Journal} backend does, the same way: run once and replay, first writer wins (also between two
 * handles on the same storage, as two processes would be), failures not recorded unless recorded as such, a stream
 * replays whole or re-runs whole, a superseded stream attempt is refused, forgetting makes steps run again,
 * sessions are apart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class JournalContract {
    /** A value with structure, as a model call's answer would be. */
    record Answer(String text, List<Integer> tokens) {}

    Journal journal;
    Journal other;
    String session;

    /** A journal on fresh storage. */
    abstract Journal open() throws Exception;

    /** A second journal on the same storage as the last {@link #open}: another process, as far as it knows. */
    abstract Journal openAnother() throws Exception;

    @BeforeEach
    void openJournals() throws Exception {
        journal = open();
        other = openAnother();
        session = "run-" + System.nanoTime();
    }

    @AfterEach
    void closeJournals() {
        journal.close();
        other.close();
    }

    @Test
    void aStepRunsOnceAndIsReplayedAfterwards() {
        AtomicInteger runs = new AtomicInteger();
        Answer first = journal.step(session, "model_call_1", Answer.class, () -> {
            runs.incrementAndGet();
            return new Answer("hi", List.of(1, 2));
        });
        Answer again = other.step(session, "model_call_1", Answer.class, () -> {
            runs.incrementAndGet();
            return new Answer("other", List.of());
        });
        assertThat(again).isEqualTo(first).isEqualTo(new Answer("hi", List.of(1, 2)));
        assertThat(runs).hasValue(1);
        List<Answer> list = journal.step(session, "list", new TypeReference<List<Answer>>() {},
                () -> List.of(new Answer("a", List.of())));
        assertThat(other.step(session, "list", new TypeReference<List<Answer>>() {}, List::of)).isEqualTo(list);
        assertThat(journal.step(session, "nothing", String.class, () -> null)).isNull();
        assertThat(other.step(session, "nothing", String.class, () -> "late")).isNull();
        assertThat(journal.step(session, "map", Map.class, () -> Map.of("k", 1))).isEqualTo(Map.of("k", 1));
    }

    @Test
    void ofConcurrentWritersOneRecordStandsAndEveryoneGetsIt() throws Exception {
        int n = 8;
        CyclicBarrier allRunning = new CyclicBarrier(n);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                int writer = i;
                Journal j = i % 2 == 0 ? journal : other;
                results.add(pool.submit(() -> j.step(session, "tool_call_1", Integer.class, () -> {
                    allRunning.await(60, TimeUnit.SECONDS); // every body runs: none has recorded yet
                    return writer;
                })));
            }
            Integer winner = null;
            for (Future<Integer> f : results) {
                Integer got = Await.result("a writer's answer", Duration.ofSeconds(60), f);
                winner = winner == null ? got : winner;
                assertThat(got).isEqualTo(winner);
            }
            Integer stands = winner;
            assertThat(journal.step(session, "tool_call_1", Integer.class, () -> -1)).isEqualTo(stands);
        }
    }

    @Test
    void aFailedBodyRecordsNothingAndARecordedFailureIsReplayed() {
        assertThatThrownBy(() -> journal.step(session, "flaky", String.class, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> journal.step(session, "checked", String.class, () -> {
            throw new java.io.IOException("disk");
        })).isInstanceOf(StepBodyException.class).hasCauseInstanceOf(java.io.IOException.class);
        assertThat(journal.step(session, "flaky", String.class, () -> "second time")).isEqualTo("second time");

        assertThat(journal.fail(session, "refused", Map.of("error", "quota"))).isTrue();
        assertThat(other.fail(session, "refused", Map.of("error", "other"))).isFalse();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> other.step(session, "refused", String.class, () -> "x" + runs.incrementAndGet()))
                .isInstanceOfSatisfying(StepFailedException.class, e -> {
                    assertThat(e.step()).isEqualTo("refused");
                    assertThat(e.errorJson()).contains("quota");
                });
        assertThat(runs).hasValue(0);
    }

    @Test
    void aCompletedStreamIsReplayedWhole() {
        int n = StepJournal.FLUSH_CHUNKS * 2 + 5; // more than one batch
        List<String> seen = new ArrayList<>();
        List<String> chunks = journal.streamStep(session, "model_call_2", String.class, emit -> {
            for (int i = 0; i < n; i++) {
                emit.accept("tok" + i);
            }
        }, seen::add);
        assertThat(chunks).hasSize(n).isEqualTo(seen);
        List<String> replayed = new ArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        assertThat(other.streamStep(session, "model_call_2", String.class, emit -> runs.incrementAndGet(),
                replayed::add)).isEqualTo(chunks);
        assertThat(replayed).isEqualTo(chunks);
        assertThat(runs).hasValue(0);
        assertThat(journal.streamStep(session, "empty", Answer.class, emit -> { }, c -> { })).isEmpty();
        assertThat(other.streamStep(session, "empty", Answer.class, emit -> emit.accept(new Answer("x", List.of())),
                c -> { })).isEmpty();
    }

    @Test
    void aStreamNeverCompletedRunsAgainWhole() {
        assertThatThrownBy(() -> journal.streamStep(session, "model_call_3", Integer.class, emit -> {
            for (int i = 0; i < StepJournal.FLUSH_CHUNKS + 3; i++) {
                emit.accept(i); // the first batch reaches the journal
            }
            throw new IllegalStateException("the model connection dropped");
        }, c -> { })).isInstanceOf(IllegalStateException.class);
        List<Integer> seen = new ArrayList<>();
        List<Integer> second = other.streamStep(session, "model_call_3", Integer.class, emit -> {
            emit.accept(100);
            emit.accept(101);
        }, seen::add);
        assertThat(second).containsExactly(100, 101);
        assertThat(seen).containsExactly(100, 101);
        assertThat(journal.streamStep(session, "model_call_3", Integer.class, emit -> emit.accept(-1), c -> { }))
                .containsExactly(100, 101);
    }

    @Test
    void aSupersededStreamAttemptIsRefused() {
        CountDownLatch restarted = new CountDownLatch(1);
        assertThatThrownBy(() -> journal.streamStep(session, "s", String.class, emit -> {
            emit.accept("mine");
            // Another process takes the step over (its attempt begins, then dies before completing).
            assertThatThrownBy(() -> other.streamStep(session, "s", String.class, e2 -> {
                restarted.countDown();
                throw new IllegalStateException("the other one died");
            }, c -> { })).isInstanceOf(IllegalStateException.class);
            emit.accept("mine too");
        }, c -> { })).isInstanceOf(JournalConflictException.class);
        assertThat(restarted.getCount()).isZero();
        assertThat(journal.streamStep(session, "s", String.class, emit -> emit.accept("third"), c -> { }))
                .containsExactly("third");
    }

    @Test
    void forgottenStepsRunAgainAndSessionsAreApart() {
        AtomicInteger runs = new AtomicInteger();
        for (String step : new String[] {"turn_1.a", "turn_1.b", "turn_2.a"}) {
            journal.step(session, step, Integer.class, runs::incrementAndGet);
        }
        journal.step("another-" + session, "turn_1.a", Integer.class, () -> 100);
        assertThat(other.forget(session, "turn_1.")).isEqualTo(2);
        assertThat(journal.step(session, "turn_1.a", Integer.class, runs::incrementAndGet)).isEqualTo(4);
        assertThat(journal.step(session, "turn_2.a", Integer.class, runs::incrementAndGet)).isEqualTo(3);
        assertThat(journal.step("another-" + session, "turn_1.a", Integer.class, () -> -1)).isEqualTo(100);
        assertThat(journal.forget(session, "")).isEqualTo(2);
        assertThat(journal.step(session, "turn_2.a", Integer.class, () -> 7)).isEqualTo(7);
    }
}
