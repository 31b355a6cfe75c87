package io.myelin.broker;

/**
 * Starts a broker over any {@link AxonLink}: the server's {@link LocalBrokerFactory} (its own event log) and
 * {@code myelin broker} (a remote server, through the Java client) both start theirs here, so one broker
 * implementation serves both.
 */
public final class Brokers {
    private Brokers() {
    }

    /**
     * Starts the broker's thread and the agent; returns once the agent process is started (or
     * {@code options.startTimeout} passed). The broker owns {@code link} and closes it when it stops.
     *
     * @throws AgentStartException when the agent cannot be started
     * @throws io.myelin.error.MyelinException 404 when the axon does not exist
     */
    public static RunningBroker start(BrokerSpec spec, AxonLink link, AgentLauncher launcher, BrokerListener listener,
                                      BrokerOptions options) {
        return start(spec, link, launcher, listener, options, true);
    }

    /**
     * Starts the broker's thread with the agent stopped: no process until {@link RunningBroker#resume()} (see
     * {@link BrokerFactory#startStopped}); returns once the thread runs. The broker owns {@code link}.
     *
     * @throws io.myelin.error.MyelinException 404 when the axon does not exist
     */
    public static RunningBroker startStopped(BrokerSpec spec, AxonLink link, AgentLauncher launcher,
                                             BrokerListener listener, BrokerOptions options) {
        return start(spec, link, launcher, listener, options, false);
    }

    private static RunningBroker start(BrokerSpec spec, AxonLink link, AgentLauncher launcher, BrokerListener listener,
                                       BrokerOptions options, boolean launchAgent) {
        if (spec.protocol() != BrokerProtocol.ACP && spec.protocol() != BrokerProtocol.CLAUDE_JSON) {
            throw new IllegalArgumentException("protocol " + spec.protocol().wireName()
                    + " is not supported: use acp or claude_json");
        }
        return new BrokerHandle(new Broker(spec, link, launcher, listener, options, launchAgent)).start();
    }
}
