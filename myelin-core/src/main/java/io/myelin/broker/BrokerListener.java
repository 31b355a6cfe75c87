package io.myelin.broker;

/**
 * Callbacks from a running broker to whoever supervises it (the devbox). Called from the broker's own thread, one
 * call at a time per broker; an implementation must not block for long and must not call back into the broker
 * synchronously from {@link #wakeRequested} (hand the resume to another thread).
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

    /** The agent process exited on its own (not through suspend/shutdown/close). */
    void agentExited(int exitCode, String reason);

    /**
     * The broker stopped for good and serves its axon no more: the axon was deleted, or another broker took it over
     * (its state's version moved on). Not called when the broker is closed by its supervisor.
     */
    default void stopped(String reason) {
    }
}
