package io.myelin.devbox;

import java.util.List;
import java.util.Locale;

/**
 * Where a devbox stands (Runloop {@code DevboxView.status}). Runloop's {@code scheduled} and {@code queued} never
 * occur here: a Myelin devbox needs no infrastructure allocated before it provisions.
 *
 * <p>{@link #SUSPENDED} covers both ways a devbox is put to rest: its agents frozen (memory kept, thawed in
 * milliseconds) or stopped (memory freed, restarted with their conversation restored). Either wakes on a resume.
 * {@link #SHUTDOWN} is final, as in Runloop.
 */
public enum DevboxStatus {
    /** The workspace is being created. */
    PROVISIONING,
    /** Setup and launch commands run, then the brokers start. */
    INITIALIZING,
    /** Ready: the brokers relay their axons. */
    RUNNING,
    /** Suspend commands run, then the agents are frozen or stopped. */
    SUSPENDING,
    /** At rest: no agent uses CPU; a resume (or a turn-starting event, with {@code resume_triggers.axon_event}) wakes it. */
    SUSPENDED,
    /** Waking: launch commands run again if the agents were stopped, then the agents resume. */
    RESUMING,
    /** A launch command or a broker failed; {@code failure_reason} says which kind. Only a shutdown follows. */
    FAILURE,
    /** Shut down for good: processes stopped, workspace removed (unless kept). */
    SHUTDOWN;

    /** Every status Runloop's API knows, including the two Myelin never reports, as the wire spells them. */
    public static final List<String> RUNLOOP_STATUSES = List.of("scheduled", "queued", "provisioning",
            "initializing", "running", "suspending", "suspended", "resuming", "failure", "shutdown");

    /** The status as the wire spells it ({@code running}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status the wire name {@code s} names, or null when it is none of these. */
    public static DevboxStatus fromWire(String s) {
        for (DevboxStatus st : values()) {
            if (st.wireName().equals(s)) {
                return st;
            }
        }
        return null;
    }

    /** True where nothing changes the status unless a client asks: failed or shut down. */
    public boolean settled() {
        return this == FAILURE || this == SHUTDOWN;
    }
}
