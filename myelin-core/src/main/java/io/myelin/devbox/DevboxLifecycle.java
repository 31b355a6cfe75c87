package io.myelin.devbox;

import io.myelin.lifecycle.TransitionTable;

/**
 * The devbox lifecycle as a {@link TransitionTable}, drawn in {@code docs/lifecycles.md}. Every status change of a
 * devbox goes through it; a request that would need an undeclared move (resume a running devbox's failure, suspend
 * one that is still initializing) is refused with 409 naming the current status.
 */
public final class DevboxLifecycle {
    private DevboxLifecycle() {}

    /** What moves a devbox. */
    public enum Trigger {
        /** The workspace exists: setup and launch commands run next. */
        WORKSPACE_READY,
        /** Launch commands succeeded and every broker started (or resumed). */
        STARTED,
        /** Suspend asked (API or idle): suspend commands run, then the agents are frozen or stopped. */
        SUSPEND,
        /** The agents are frozen or stopped. */
        SUSPENDED,
        /** Resume asked (API, or a turn-starting event on a mounted axon). */
        RESUME,
        /** The server restarted while the devbox was starting or running: its processes are started again. */
        RESTART,
        /**
         * A launch command, a broker start or a resume failed; or a mount's broker stopped for good (its axon deleted,
         * or taken over by another broker) while the devbox was running or suspended.
         */
        FAIL,
        /** Shutdown asked (API, or {@code keep_alive_time_seconds} passed). */
        SHUTDOWN
    }

    /** The table; anything else is refused ({@link io.myelin.lifecycle.IllegalTransitionException}). */
    public static final TransitionTable<DevboxStatus, Trigger> TABLE = TransitionTable
            .builder("devbox", DevboxStatus.class, Trigger.class, DevboxStatus.PROVISIONING)
            .on(DevboxStatus.PROVISIONING, Trigger.WORKSPACE_READY, DevboxStatus.INITIALIZING)
            .on(DevboxStatus.INITIALIZING, Trigger.STARTED, DevboxStatus.RUNNING)
            .on(DevboxStatus.RUNNING, Trigger.SUSPEND, DevboxStatus.SUSPENDING)
            .on(DevboxStatus.SUSPENDING, Trigger.SUSPENDED, DevboxStatus.SUSPENDED)
            .on(DevboxStatus.SUSPENDED, Trigger.RESUME, DevboxStatus.RESUMING)
            .on(DevboxStatus.RESUMING, Trigger.STARTED, DevboxStatus.RUNNING)
            .onAny(Trigger.RESTART, DevboxStatus.INITIALIZING,
                    DevboxStatus.INITIALIZING, DevboxStatus.RUNNING, DevboxStatus.RESUMING)
            .onAny(Trigger.FAIL, DevboxStatus.FAILURE,
                    DevboxStatus.PROVISIONING, DevboxStatus.INITIALIZING, DevboxStatus.RUNNING, DevboxStatus.SUSPENDING,
                    DevboxStatus.SUSPENDED, DevboxStatus.RESUMING)
            .onAny(Trigger.SHUTDOWN, DevboxStatus.SHUTDOWN,
                    DevboxStatus.PROVISIONING, DevboxStatus.INITIALIZING, DevboxStatus.RUNNING,
                    DevboxStatus.SUSPENDING, DevboxStatus.SUSPENDED, DevboxStatus.RESUMING, DevboxStatus.FAILURE)
            .build();
}
