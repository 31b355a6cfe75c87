package io.myelin.broker;

/**
 * Callbacks from a running broker to whoever supervises it (the devbox). Called from broker threads; implementations
 * must not block for long (record the fact, hand any work to another thread).
 */
public interface BrokerListener {
    /** A turn started or a turn-starting event was queued: the idle clock restarts. */
    void activity();

    /** No turn is running and nothing is queued (called on every transition into that state). */
    void idle();

    /**
     * A turn-starting event arrived while the agent is suspended or shut down and {@code wakeOnAxonEvent} is true:
     * the supervisor should resume (it will call {@link MountedBroker#resume()}); the event stays queued.
     */
    void wakeRequested();

    /** The agent process exited on its own (not through suspend, shutdown or close). */
    void agentExited(int exitCode, String reason);
}
