package io.myelin.broker;

import java.time.Duration;

/** One broker mount while its devbox exists. Thread-safe. */
public interface MountedBroker extends AutoCloseable {
    /** Freezes the agent's process group (SIGSTOP): no CPU, memory kept. Blocks at most {@code deadline}. */
    void suspend(Duration deadline);

    /**
     * Stops the agent process (SIGTERM, then SIGKILL after {@code deadline}); the broker's durable state (cursor,
     * session id) is kept so that {@link #resume()} restarts the agent and restores its conversation.
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
