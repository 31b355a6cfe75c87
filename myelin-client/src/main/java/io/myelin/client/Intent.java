package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An intent as the server describes it ({@code IntentView}): a durable record of a wait on a person, a tool, an
 * agent or a point in time, on one axon. It is created {@link IntentStatus#WAITING} and ends exactly once: resolved
 * ({@link Intents#resolve}), cancelled, expired at its deadline, or fired (time intents). Every change is also an
 * {@code intent.*} system event on the axon's stream, with this object as payload.
 *
 * <p>A value: it does not change when the intent does. Read it again with {@link Intents#get}, or wait for the end
 * with {@link Intents#await}. Times are milliseconds since the Unix epoch.
 *
 * @param id              server-assigned, unguessable identifier ({@code int_...})
 * @param axonId          the axon it belongs to
 * @param kind            the caller's label, e.g. {@code refund.approval}
 * @param waitingFor      whom it waits for
 * @param status          where it stands
 * @param title           a line for people, or {@code null}
 * @param payload         the caller's JSON, e.g. what is to be approved, or {@code null}
 * @param assignee        who should act on it (after an escalation: {@code escalateTo}), or {@code null}
 * @param fireAtMs        when a time intent fires, or {@code null}
 * @param deadlineMs      when it expires or escalates if still waiting, or {@code null}
 * @param remindEveryMs   the interval of its {@code intent.reminded} events while waiting, or {@code null}
 * @param nextRemindAtMs  when its next {@code intent.reminded} event is due, or {@code null} when none will be
 * @param onDeadline      what its deadline does; {@code null} when the server sent none
 * @param escalateTo      the assignee an escalation hands it to, or {@code null}
 * @param escalationLevel how many times it was escalated (0 at first)
 * @param createdAtMs     creation time
 * @param updatedAtMs     time of its last change
 * @param resolvedAtMs    when it stopped waiting, or {@code null} while it waits
 * @param resolution      how it ended, or {@code null} while it waits
 */
public record Intent(String id, String axonId, String kind, WaitingFor waitingFor, IntentStatus status, String title,
                     JsonNode payload, String assignee, Long fireAtMs, Long deadlineMs, Long remindEveryMs,
                     Long nextRemindAtMs, OnDeadline onDeadline, String escalateTo, int escalationLevel, long createdAtMs, long updatedAtMs,
                     Long resolvedAtMs, IntentResolution resolution) {
    /** Maps values this client does not know to UNKNOWN, and a JSON {@code null} payload to {@code null}. */
    public Intent {
        Objects.requireNonNull(id, "id");
        waitingFor = waitingFor == null ? WaitingFor.UNKNOWN : waitingFor;
        status = status == null ? IntentStatus.UNKNOWN : status;
        payload = payload == null || payload.isNull() ? null : payload;
    }

    /** True while it waits; false once its status is final. */
    public boolean waiting() {
        return status == IntentStatus.WAITING;
    }
}
