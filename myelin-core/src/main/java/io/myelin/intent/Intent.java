package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A durable wait: one record of something an axon's work waits on, and how it ended (wire shape: {@code IntentView},
 * rendered by {@link IntentJson}). Immutable; every change is a new value made by {@link IntentRules} and stored
 * together with its {@code intent.*} event.
 *
 * <p>Times are milliseconds since the Unix epoch; absent optional values are null.
 *
 * @param id              {@code int_} + 24 random base-62 characters: opaque and unguessable
 * @param axonId          the axon whose stream carries its events
 * @param kind            the client's label for what is awaited ({@code refund_approval}, {@code permission})
 * @param title           a line for a person to read, or null
 * @param payload         what the waiter hands to whoever resolves it (any JSON), or null
 * @param assignee        who should act (a user id, a team), or null; an escalation replaces it
 * @param fireAtMs        when a {@link WaitingFor#TIME} intent fires; null for the others
 * @param deadlineMs      when a still-waiting intent expires or escalates, or null
 * @param remindEveryMs   the period of {@code intent.reminded} events while waiting, or null
 * @param nextRemindAtMs  when the next reminder is due, or null when none will be
 * @param onDeadline      what the deadline does (never null; {@link OnDeadline#EXPIRE} by default)
 * @param escalateTo      the assignee after an escalation, or null
 * @param escalationLevel how many times it escalated (0 or 1)
 * @param resolvedAtMs    when it left {@link IntentStatus#WAITING}, or null
 * @param resolution      how it ended, or null while waiting
 */
public record Intent(String id, String axonId, String kind, WaitingFor waitingFor, IntentStatus status, String title,
                     JsonNode payload, String assignee, Long fireAtMs, Long deadlineMs, Long remindEveryMs,
                     Long nextRemindAtMs, OnDeadline onDeadline, String escalateTo, int escalationLevel,
                     long createdAtMs, long updatedAtMs, Long resolvedAtMs, Resolution resolution) {

    public boolean waiting() {
        return status == IntentStatus.WAITING;
    }

    /**
     * The next instant a timer of this intent falls due — its fire time, its deadline or its next reminder, the
     * earliest — or null when none will (it is no longer waiting, or waits without a clock).
     */
    public Long dueAtMs() {
        if (!waiting()) {
            return null;
        }
        Long due = null;
        for (Long t : new Long[] {waitingFor == WaitingFor.TIME ? fireAtMs : null, deadlineMs, nextRemindAtMs}) {
            if (t != null && (due == null || t < due)) {
                due = t;
            }
        }
        return due;
    }
}
