package io.myelin.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.stream.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TransitionTableTest {
    enum S { NEW, RUNNING, DONE }

    enum E { START, FINISH, CANCEL }

    static final TransitionTable<S, E> TABLE = TransitionTable.builder("job", S.class, E.class, S.NEW)
            .on(S.NEW, E.START, S.RUNNING)
            .on(S.RUNNING, E.FINISH, S.DONE)
            .onAny(E.CANCEL, S.DONE, S.NEW, S.RUNNING)
            .build();

    @Test
    void declaredTransitionsMoveAndEverythingElseIsRefused() {
        assertThat(TABLE.next(S.NEW, E.START)).isEqualTo(S.RUNNING);
        assertThat(TABLE.allowedFrom(S.RUNNING)).containsExactly(E.FINISH, E.CANCEL);
        assertThat(TABLE.finalStates()).containsExactly(S.DONE);
        assertThatThrownBy(() -> TABLE.next(S.DONE, E.START)).isInstanceOfSatisfying(IllegalTransitionException.class,
                e -> {
                    assertThat(e.state()).isEqualTo(S.DONE);
                    assertThat(e.event()).isEqualTo(E.START);
                    assertThat(e).hasMessage("job: START is not allowed in state DONE (allowed there: nothing, it is final)");
                });
        assertThatThrownBy(() -> TABLE.next(S.NEW, E.FINISH)).hasMessageContaining("allowed there: [START, CANCEL]");
    }

    @Test
    void aLifecycleMovesOnlyThroughItsTable() {
        Lifecycle<S, E> job = new Lifecycle<>(TABLE);
        assertThat(job.state()).isEqualTo(S.NEW);
        assertThat(job.fire(E.START)).isEqualTo(S.RUNNING);
        assertThat(job.fireIfAllowed(E.START)).isFalse();
        assertThat(job.state()).isEqualTo(S.RUNNING);
        assertThat(job.fire(E.CANCEL)).isEqualTo(S.DONE);
        assertThatThrownBy(() -> job.fire(E.FINISH)).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void tablesAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> TransitionTable.builder("dup", S.class, E.class, S.NEW)
                .on(S.NEW, E.START, S.RUNNING).on(S.NEW, E.START, S.DONE).build())
                .hasMessageContaining("NEW on START is declared twice");
        assertThatThrownBy(() -> TransitionTable.builder("island", S.class, E.class, S.NEW)
                .on(S.NEW, E.START, S.RUNNING).build())
                .hasMessageContaining("[DONE] cannot be reached from NEW");
    }

    @Test
    void theSubscriptionCannotReopenOnceClosed() {
        assertThat(Subscription.LIFECYCLE.allowedFrom(Subscription.State.CLOSED)).isEmpty();
        assertThat(Subscription.LIFECYCLE.next(Subscription.State.LIVE, Subscription.Trigger.FELL_BEHIND))
                .isEqualTo(Subscription.State.CATCHING_UP);
    }
}
