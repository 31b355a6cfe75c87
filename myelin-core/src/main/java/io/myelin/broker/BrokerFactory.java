package io.myelin.broker;

/** Starts brokers. The devbox supervisor gets one from the wiring ({@code MyelinServer}). */
public interface BrokerFactory {
    /**
     * Starts the relay and the agent process; returns once the process is started (not once it is initialized).
     *
     * @throws io.myelin.error.MyelinException 404 when the axon does not exist
     */
    MountedBroker start(BrokerSpec spec, BrokerListener listener);
}
