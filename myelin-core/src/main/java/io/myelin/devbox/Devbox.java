package io.myelin.devbox;

import java.util.List;

/**
 * A devbox as stored and as clients see it (wire shape: Runloop {@code DevboxView}).
 *
 * @param id               {@code dbx_} + 26 lower-case base32 characters
 * @param spec             what the client asked for (name, metadata, launch parameters, mounts, environment)
 * @param status           the current status
 * @param createTimeMs     creation time, ms since the epoch
 * @param endTimeMs        when it was shut down, or null while it is not
 * @param stateTransitions its history, oldest first (at most {@link #MAX_TRANSITIONS}, the most recent kept)
 * @param shutdownReason   why it shut down ({@code api_shutdown}, {@code keep_alive_timeout}), or null
 * @param failureReason    why it failed ({@code execution_failed}), or null
 */
public record Devbox(String id, DevboxSpec spec, DevboxStatus status, long createTimeMs, Long endTimeMs,
                     List<StateTransition> stateTransitions, String shutdownReason, String failureReason) {
    /**
     * History kept per devbox: a devbox that suspends and wakes all day would otherwise grow without bound. Older
     * entries are dropped first.
     */
    public static final int MAX_TRANSITIONS = 100;

    public Devbox {
        stateTransitions = List.copyOf(stateTransitions);
    }
}
