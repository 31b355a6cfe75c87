package io.myelin.devbox;

import java.util.List;

/**
 * Idle and resume behaviour of a devbox (Runloop {@code LifecycleConfiguration}), with Runloop's defaults filled in.
 *
 * @param afterIdle      what to do after the devbox has been idle for a while, or null to never act on idleness
 * @param lifecycleHooks what runs before the devbox suspends
 * @param resumeTriggers what wakes a suspended devbox
 */
public record LifecycleConfiguration(AfterIdle afterIdle, LifecycleHooks lifecycleHooks, ResumeTriggers resumeTriggers) {
    /** Runloop's defaults: no idle action, no suspend commands, a 30 s suspend budget, wake on axon events. */
    public static final LifecycleConfiguration DEFAULTS = new LifecycleConfiguration(null, LifecycleHooks.DEFAULTS,
            ResumeTriggers.DEFAULTS);

    public LifecycleConfiguration {
        lifecycleHooks = lifecycleHooks == null ? LifecycleHooks.DEFAULTS : lifecycleHooks;
        resumeTriggers = resumeTriggers == null ? ResumeTriggers.DEFAULTS : resumeTriggers;
    }

    /** What to do once idle: {@code shutdown} stops the agents' processes, {@code suspend} freezes them. */
    public enum OnIdle {
        SHUTDOWN("shutdown"),
        SUSPEND("suspend");

        private final String wireName;

        OnIdle(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The action the wire name {@code s} names, or null. */
        public static OnIdle fromWire(String s) {
            for (OnIdle o : values()) {
                if (o.wireName.equals(s)) {
                    return o;
                }
            }
            return null;
        }
    }

    /**
     * Runloop {@code AfterIdle}.
     *
     * @param idleTimeSeconds how long no turn may run and nothing be queued on any mount (and no keep-alive
     *                        arrive) before {@code onIdle} is taken
     * @param onIdle          the action
     */
    public record AfterIdle(long idleTimeSeconds, OnIdle onIdle) {}

    /**
     * Runloop {@code LifecycleHooks}.
     *
     * @param suspendCommands    shell commands run one after another in the workspace before the agents are put to
     *                           rest; a failure is logged and does not stop the suspension
     * @param suspendDeadlineMs  the budget for all of them (default 30,000, at most 60,000); once spent, the command
     *                           running is killed and the suspension proceeds
     */
    public record LifecycleHooks(List<String> suspendCommands, long suspendDeadlineMs) {
        public static final long DEFAULT_DEADLINE_MS = 30_000;
        public static final long MAX_DEADLINE_MS = 60_000;
        public static final LifecycleHooks DEFAULTS = new LifecycleHooks(List.of(), DEFAULT_DEADLINE_MS);

        public LifecycleHooks {
            suspendCommands = suspendCommands == null ? List.of() : List.copyOf(suspendCommands);
        }
    }

    /**
     * Runloop {@code ResumeTriggers}.
     *
     * @param axonEvent a turn-starting event on a mounted axon wakes the devbox (default true)
     * @param http      HTTP traffic through a tunnel wakes it; always false here (Myelin has no tunnels, and a
     *                  request for it is refused)
     */
    public record ResumeTriggers(boolean axonEvent, boolean http) {
        public static final ResumeTriggers DEFAULTS = new ResumeTriggers(true, false);
    }
}
