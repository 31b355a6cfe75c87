package io.myelin.broker;

/** Starts brokers. The devbox supervisor gets one from the wiring ({@code MyelinServer}). */
public interface BrokerFactory {
    /**
     * Starts the relay and the agent process; returns once the process is started (not once it is initialized).
     * {@code listener} receives the broker's callbacks from then on.
     */
    MountedBroker start(BrokerSpec spec, BrokerListener listener);
}
