package io.myelin.broker;

/** Starts brokers. The devbox supervisor gets one from the wiring ({@code MyelinServer}). */
public interface BrokerFactory {
    /**
     * Starts the relay and the agent process; returns once the process is started (not once it is initialized).
     *
     * @throws io.myelin.error.MyelinException 404 when the axon does not exist
     */
    MountedBroker start(BrokerSpec spec, BrokerListener listener);

    /**
     * Starts the relay with the agent stopped, as {@link MountedBroker#shutdown} leaves it: no agent process runs
     * until {@link MountedBroker#resume()}. Events that need the agent meanwhile queue and, when
     * {@link BrokerSpec#wakeOnAxonEvent()}, ask for a wake ({@link BrokerListener#wakeRequested}). For a devbox that
     * is suspended when the server starts: it must stay at rest until something wakes it. Returns once the relay
     * runs.
     *
     * @throws io.myelin.error.MyelinException 404 when the axon does not exist
     */
    MountedBroker startStopped(BrokerSpec spec, BrokerListener listener);
}
