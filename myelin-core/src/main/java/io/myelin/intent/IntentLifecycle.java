package io.myelin.intent;

import io.myelin.lifecycle.TransitionTable;

/**
 * The intent lifecycle as a {@link TransitionTable}, drawn in {@code docs/lifecycles.md}. Every change of an intent
 * goes through it ({@link IntentRules}); anything else — resolving one that is no longer waiting — is refused with
 * 409 and the intent's current state.
 */
public final class IntentLifecycle {
    private IntentLifecycle() {}

    /** What moves an intent. */
    public enum Trigger {
        /** Resolved with {@code approved}, {@code rejected} or {@code completed}. */
        COMPLETE,
        /** Resolved with {@code failed}. */
        FAIL,
        /** A time intent's {@code fire_at_ms} came. */
        FIRE,
        CANCEL,
        /** The deadline passed (with {@code on_deadline: expire}, or after the one escalation). */
        EXPIRE,
        /** The first deadline passed with {@code on_deadline: escalate}: new assignee, deadline extended. */
        ESCALATE,
        /** {@code remind_every_ms} passed since the last reminder. */
        REMIND
    }

    /** The table; anything else is refused ({@link io.myelin.lifecycle.IllegalTransitionException}). */
    public static final TransitionTable<IntentStatus, Trigger> TABLE = TransitionTable
            .builder("intent", IntentStatus.class, Trigger.class, IntentStatus.WAITING)
            .on(IntentStatus.WAITING, Trigger.COMPLETE, IntentStatus.COMPLETED)
            .on(IntentStatus.WAITING, Trigger.FIRE, IntentStatus.COMPLETED)
            .on(IntentStatus.WAITING, Trigger.FAIL, IntentStatus.FAILED)
            .on(IntentStatus.WAITING, Trigger.CANCEL, IntentStatus.CANCELLED)
            .on(IntentStatus.WAITING, Trigger.EXPIRE, IntentStatus.EXPIRED)
            .on(IntentStatus.WAITING, Trigger.ESCALATE, IntentStatus.WAITING)
            .on(IntentStatus.WAITING, Trigger.REMIND, IntentStatus.WAITING)
            .build();

    /** The trigger a resolution with {@code outcome} fires. */
    static Trigger of(Outcome outcome) {
        return switch (outcome) {
            case APPROVED, REJECTED, COMPLETED -> Trigger.COMPLETE;
            case FAILED -> Trigger.FAIL;
            case FIRED -> Trigger.FIRE;
            case CANCELLED -> Trigger.CANCEL;
            case EXPIRED -> Trigger.EXPIRE;
        };
    }
}
