package io.myelin.client;

import java.util.List;

/**
 * How a devbox starts and rests (the part of Runloop's {@code LaunchParameters} Myelin honours). Null components
 * are left out of requests; the server's answer fills in the defaults.
 *
 * @param launchCommands       shell commands run in the workspace at every start (if the operator allows them)
 * @param lifecycle            idle and resume behaviour, or null for the defaults
 * @param keepAliveTimeSeconds shut down this long after the last keep-alive, or null for never (ignored when
 *                             {@code lifecycle.afterIdle} is set)
 */
public record LaunchParameters(List<String> launchCommands, Lifecycle lifecycle, Long keepAliveTimeSeconds) {
    public LaunchParameters {
        launchCommands = launchCommands == null ? List.of() : List.copyOf(launchCommands);
    }

    /**
     * Runloop {@code LifecycleConfiguration}.
     *
     * @param afterIdle      what to do once idle, or null to do nothing
     * @param lifecycleHooks what runs before suspending, or null for nothing
     * @param resumeTriggers what wakes a suspended devbox, or null for the default (events on its axons)
     */
    public record Lifecycle(AfterIdle afterIdle, LifecycleHooks lifecycleHooks, ResumeTriggers resumeTriggers) {
    }

    /**
     * Runloop {@code AfterIdle}.
     *
     * @param idleTimeSeconds how long without a turn running or queued before acting
     * @param onIdle          {@code suspend} (agents frozen) or {@code shutdown} (agents stopped; restarted on wake)
     */
    public record AfterIdle(long idleTimeSeconds, String onIdle) {
    }

    /**
     * Runloop {@code LifecycleHooks}.
     *
     * @param suspendCommands   shell commands run before suspending
     * @param suspendDeadlineMs their time budget (default 30,000, at most 60,000), or null for the default
     */
    public record LifecycleHooks(List<String> suspendCommands, Long suspendDeadlineMs) {
        public LifecycleHooks {
            suspendCommands = suspendCommands == null ? List.of() : List.copyOf(suspendCommands);
        }
    }

    /**
     * Runloop {@code ResumeTriggers}.
     *
     * @param axonEvent a turn-starting event on a mounted axon wakes the devbox (default true)
     * @param http      always false on Myelin, which has no tunnels (the server refuses true)
     */
    public record ResumeTriggers(Boolean axonEvent, Boolean http) {
    }
}
