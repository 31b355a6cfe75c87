package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.IntentLifecycle.Trigger;

/**
 * How an intent changes: pure functions from its current state and the time of the change to a {@link Step}, every
 * one checked against {@link IntentLifecycle#TABLE}. The store runs them on the row as it is inside the write, so
 * two resolvers racing each see the other's outcome: the first wins, the second is refused with 409 and the intent
 * as the first left it ({@link #notWaiting}).
 *
 * <p>Timers ({@link #due}): what falls due first wins — a time intent's fire time or the deadline (the earlier; the
 * fire on a tie), else a reminder. Reminders missed while the server was down are one reminder, not a burst: the
 * next is scheduled after the current time.
 */
public final class IntentRules {
    /** Who a timer's change is attributed to ({@code resolution.resolved_by}). */
    public static final String SYSTEM = "system";

    private IntentRules() {}

    /** A client's resolution ({@code POST /v1/intents/{id}/resolve}). @throws MyelinException 409 not waiting */
    public static Step resolve(Intent current, Outcome outcome, JsonNode result, String comment, Caller caller,
                               long nowMs) {
        return end(current, outcome, result, comment, caller.keyId(), caller.actingUser(), nowMs);
    }

    /** {@code POST /v1/intents/{id}/cancel}. @throws MyelinException 409 not waiting */
    public static Step cancel(Intent current, String reason, Caller caller, long nowMs) {
        return end(current, Outcome.CANCELLED, null, reason, caller.keyId(), caller.actingUser(), nowMs);
    }

    /**
     * The change a timer makes at {@code nowMs}, or null when nothing is due (it was resolved meanwhile, or it is not
     * yet time: a timer read ahead of time, or fired twice, changes nothing).
     */
    public static Step due(Intent current, long nowMs) {
        Long due = current.dueAtMs();
        if (due == null || due > nowMs) {
            return null;
        }
        Long fire = current.waitingFor() == WaitingFor.TIME ? current.fireAtMs() : null;
        Long deadline = current.deadlineMs();
        if (fire != null && fire <= nowMs && (deadline == null || fire <= deadline)) {
            return end(current, Outcome.FIRED, null, null, SYSTEM, null, nowMs);
        }
        if (deadline != null && deadline <= nowMs) {
            if (current.onDeadline() == OnDeadline.ESCALATE && current.escalationLevel() == 0) {
                return escalate(current, nowMs);
            }
            return end(current, Outcome.EXPIRED, null, null, SYSTEM, null, nowMs);
        }
        return remind(current, nowMs);
    }

    private static Step escalate(Intent c, long nowMs) {
        IntentLifecycle.TABLE.next(c.status(), Trigger.ESCALATE);
        long span = Math.max(1, c.deadlineMs() - c.createdAtMs());
        long next = c.deadlineMs() + span;
        if (next <= nowMs) {
            next = nowMs + span; // the server was down past the extended deadline too: the span starts now
        }
        Intent escalated = new Intent(c.id(), c.axonId(), c.kind(), c.waitingFor(), c.status(), c.title(), c.payload(),
                c.escalateTo(), c.fireAtMs(), next, c.remindEveryMs(), c.nextRemindAtMs(), c.onDeadline(),
                c.escalateTo(), c.escalationLevel() + 1, c.createdAtMs(), nowMs, null, null);
        return new Step(escalated, "intent.escalated");
    }

    private static Step remind(Intent c, long nowMs) {
        IntentLifecycle.TABLE.next(c.status(), Trigger.REMIND);
        long every = c.remindEveryMs();
        long missed = (nowMs - c.nextRemindAtMs()) / every; // reminders that fell due while nobody could send them
        long next = c.nextRemindAtMs() + (missed + 1) * every;
        Intent reminded = new Intent(c.id(), c.axonId(), c.kind(), c.waitingFor(), c.status(), c.title(), c.payload(),
                c.assignee(), c.fireAtMs(), c.deadlineMs(), every, next, c.onDeadline(), c.escalateTo(),
                c.escalationLevel(), c.createdAtMs(), nowMs, null, null);
        return new Step(reminded, "intent.reminded");
    }

    private static Step end(Intent c, Outcome outcome, JsonNode result, String comment, String by, String user,
                            long nowMs) {
        if (!c.waiting()) {
            throw notWaiting(c);
        }
        IntentStatus status = IntentLifecycle.TABLE.next(c.status(), IntentLifecycle.of(outcome));
        Intent ended = new Intent(c.id(), c.axonId(), c.kind(), c.waitingFor(), status, c.title(), c.payload(),
                c.assignee(), c.fireAtMs(), c.deadlineMs(), c.remindEveryMs(), null, c.onDeadline(), c.escalateTo(),
                c.escalationLevel(), c.createdAtMs(), nowMs, nowMs, new Resolution(outcome, result, comment, by, user));
        String type = switch (outcome) {
            case CANCELLED -> "intent.cancelled";
            case EXPIRED -> "intent.expired";
            default -> "intent.resolved";
        };
        return new Step(ended, type);
    }

    /**
     * 409: the intent is no longer waiting; carries it as it is ({@code "intent"} beside {@code error}), with
     * {@code x-should-retry: false}.
     */
    public static MyelinException notWaiting(Intent c) {
        return new MyelinException(ErrorKind.CONFLICT, null, "intent " + c.id() + " is no longer waiting: it is "
                + c.status().wire() + (c.resolution() == null ? "" : " (" + c.resolution().outcome().wire() + " by "
                + c.resolution().resolvedBy() + " at " + c.resolvedAtMs() + ")"))
                .retry(false, null) // final: a retry finds it ended too (clients retry a bare 409 otherwise)
                .attach("intent", IntentJson.view(c));
    }
}
