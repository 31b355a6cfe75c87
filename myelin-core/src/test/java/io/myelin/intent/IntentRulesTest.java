package io.myelin.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.Caller;
import io.myelin.error.MyelinException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pure rules of {@link IntentRules}: what falls due first, escalation spans, reminder collapse, finality. */
@Timeout(10)
class IntentRulesTest {
    static Intent waiting(WaitingFor w, Long fireAt, Long deadline, Long every, OnDeadline on, String escalateTo) {
        return new Intent("int_x", "axn_x", "k", w, IntentStatus.WAITING, null, null, "ana", fireAt, deadline, every,
                every == null ? null : 1000 + every, on, escalateTo, 0, 1000, 1000, null, null);
    }

    @Test
    void nothingIsDueBeforeItsTime() {
        Intent i = waiting(WaitingFor.TIME, 5000L, null, null, OnDeadline.EXPIRE, null);
        assertThat(i.dueAtMs()).isEqualTo(5000);
        assertThat(IntentRules.due(i, 4999)).isNull();
        Step fired = IntentRules.due(i, 5000);
        assertThat(fired.eventType()).isEqualTo("intent.resolved");
        assertThat(fired.next().resolution().outcome()).isEqualTo(Outcome.FIRED);
        assertThat(fired.next().dueAtMs()).isNull();
        assertThat(IntentRules.due(fired.next(), 99_999)).isNull();
    }

    @Test
    void theEarlierOfFireAndDeadlineWinsAndTheFireOnATie() {
        assertThat(IntentRules.due(waiting(WaitingFor.TIME, 3000L, 2000L, null, OnDeadline.EXPIRE, null), 9000)
                .next().status()).isEqualTo(IntentStatus.EXPIRED);
        assertThat(IntentRules.due(waiting(WaitingFor.TIME, 2000L, 2000L, null, OnDeadline.EXPIRE, null), 9000)
                .next().resolution().outcome()).isEqualTo(Outcome.FIRED);
    }

    @Test
    void anEscalationExtendsByTheSpanOnceThenExpires() {
        Intent i = waiting(WaitingFor.HUMAN, null, 4000L, null, OnDeadline.ESCALATE, "boss");
        Step up = IntentRules.due(i, 4000);
        assertThat(up.eventType()).isEqualTo("intent.escalated");
        assertThat(up.next().deadlineMs()).isEqualTo(7000); // created at 1000: a 3000 ms span
        assertThat(up.next().assignee()).isEqualTo("boss");
        assertThat(IntentRules.due(up.next(), 7000).next().status()).isEqualTo(IntentStatus.EXPIRED);
        // Down past the extended deadline too: the span starts when it finally escalates.
        assertThat(IntentRules.due(i, 20_000).next().deadlineMs()).isEqualTo(23_000);
    }

    @Test
    void missedRemindersCollapseIntoOne() {
        Intent i = waiting(WaitingFor.AGENT, null, null, 1000L, OnDeadline.EXPIRE, null); // next reminder at 2000
        Step r = IntentRules.due(i, 5500);
        assertThat(r.eventType()).isEqualTo("intent.reminded");
        assertThat(r.next().nextRemindAtMs()).isEqualTo(6000);
        assertThat(IntentRules.due(r.next(), 5999)).isNull();
    }

    @Test
    void anEndedIntentRefusesEveryChange() {
        Intent i = waiting(WaitingFor.TOOL, null, null, null, OnDeadline.EXPIRE, null);
        Intent done = IntentRules.resolve(i, Outcome.FAILED, null, "boom", Caller.SYSTEM, 2000).next();
        assertThat(done.status()).isEqualTo(IntentStatus.FAILED);
        assertThatThrownBy(() -> IntentRules.cancel(done, null, Caller.SYSTEM, 3000))
                .isInstanceOf(MyelinException.class).hasMessageContaining("is no longer waiting: it is failed");
        assertThat(IntentJson.parse(IntentJson.text(done))).isEqualTo(done);
    }
}
