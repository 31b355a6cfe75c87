package io.myelin.devbox;

/**
 * When a running devbox has rested long enough, and what then: {@code after_idle} (suspend, or stop the agents, once
 * every broker has been idle {@code idle_time_seconds}) or, without it, {@code keep_alive_time_seconds} (shut down
 * that long after the last keep-alive). A pure decision over the engine clock's milliseconds; no state.
 *
 * @param lp the devbox's launch parameters
 */
record IdleRule(LaunchParameters lp) {
    /** What is due. */
    enum Action { NONE, SUSPEND, STOP_AGENTS, SHUT_DOWN }

    /** Whether this devbox ever rests by itself. */
    boolean applies() {
        return lp.lifecycle().afterIdle() != null || lp.keepAliveTimeSeconds() != null;
    }

    /**
     * @param keptAliveAtMs when it entered running or last got a keep-alive
     * @param reportedMs    when its brokers last reported (see {@link DevboxBrokers#idleSinceMs}); -1 while busy
     */
    Action due(long nowMs, long keptAliveAtMs, long reportedMs) {
        LifecycleConfiguration.AfterIdle afterIdle = lp.lifecycle().afterIdle();
        if (afterIdle != null) {
            if (reportedMs < 0 || nowMs - Math.max(keptAliveAtMs, reportedMs) < afterIdle.idleTimeSeconds() * 1000) {
                return Action.NONE;
            }
            return afterIdle.onIdle() == LifecycleConfiguration.OnIdle.SHUTDOWN ? Action.STOP_AGENTS : Action.SUSPEND;
        }
        return nowMs - keptAliveAtMs >= lp.keepAliveTimeSeconds() * 1000 ? Action.SHUT_DOWN : Action.NONE;
    }
}
