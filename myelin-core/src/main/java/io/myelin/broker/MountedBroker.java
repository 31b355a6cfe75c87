package io.myelin.broker;

import java.time.Duration;

/**
 * One broker mount while its devbox exists: the relay between an axon and its agent process, and the agent's
 * process lifecycle. Thread-safe: every method hands its work to the broker's own thread and waits for it.
 */
public interface MountedBroker extends AutoCloseable {
    /**
     * Freezes the agent's process group (SIGSTOP): no CPU, memory kept. Events that arrive meanwhile are queued.
     * Blocks at most {@code deadline}; a no-op when the agent is not running.
     */
    void suspend(Duration deadline);

    /**
     * Stops the agent process (SIGTERM to its process group, then SIGKILL after {@code deadline}); the broker's
     * durable state (cursor, session id) is kept so that {@link #resume()} restarts the agent and restores its
     * conversation. A turn still running ends with {@code turn.failed}.
     */
    void shutdown(Duration deadline);

    /** Thaws a suspended agent or restarts a shut-down one; queued events are then delivered in order. */
    void resume();

    /** True when no turn is running and nothing is queued. */
    boolean idle();

    /** Stops the agent and the relay for good (devbox shut down or deleted). Idempotent. */
    @Override
    void close();
}
