package io.myelin.broker;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.Intents;
import io.myelin.stream.EventLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the brokers of this server: each relays its axon through the server's own event log, state store and
 * intents ({@link LocalAxonLink}) and runs its agent through the {@link AgentLauncher}. One broker per axon at a
 * time: a second mount of the same axon is refused (409) while the first runs.
 *
 * <p>Threading: thread-safe. {@link #close} closes every broker it started (the server stops).
 */
public final class LocalBrokerFactory implements BrokerFactory, AutoCloseable {
    private final EventLog events;
    private final BrokerStates states;
    private final Intents intents;
    private final AgentLauncher launcher;
    private final BrokerOptions options;
    private final Map<String, Slot> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param intents where the brokers' agents' permission requests wait ({@link LocalAxonLink}) */
    public LocalBrokerFactory(EventLog events, BrokerStates states, Intents intents, AgentLauncher launcher,
                              BrokerOptions options) {
        this.events = events;
        this.states = states;
        this.intents = intents;
        this.launcher = launcher;
        this.options = options;
    }

    /**
     * @throws MyelinException 400 naming {@code protocol} for a protocol Myelin does not relay; 404 when the axon does
     *                         not exist; 409 naming {@code axon_id} when a broker of this server already relays it;
     *                         503 while the server stops
     * @throws AgentStartException when the agent cannot be started
     */
    @Override
    public MountedBroker start(BrokerSpec spec, BrokerListener listener) {
        return start(spec, listener, true);
    }

    /** As {@link #start}, with no agent process until the first {@link MountedBroker#resume()}. */
    @Override
    public MountedBroker startStopped(BrokerSpec spec, BrokerListener listener) {
        return start(spec, listener, false);
    }

    private MountedBroker start(BrokerSpec spec, BrokerListener listener, boolean launchAgent) {
        if (spec.protocol() != BrokerProtocol.ACP && spec.protocol() != BrokerProtocol.CLAUDE_JSON) {
            throw MyelinException.invalid("protocol", "protocol " + spec.protocol().wireName()
                    + " is not supported: use acp or claude_json");
        }
        if (closed) {
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "the server is stopping");
        }
        states.load(Caller.SYSTEM, spec.axonId()); // 404 before anything starts
        Slot slot = new Slot();
        if (running.putIfAbsent(spec.axonId(), slot) != null) {
            throw new MyelinException(ErrorKind.CONFLICT, "axon_id", "axon " + spec.axonId()
                    + " already has a broker on this server");
        }
        try {
            LocalAxonLink link = new LocalAxonLink(spec.axonId(), events, states, intents);
            slot.broker = launchAgent ? Brokers.start(spec, link, launcher, listener, options)
                    : Brokers.startStopped(spec, link, launcher, listener, options);
            return new Handle(spec.axonId(), slot);
        } catch (RuntimeException e) {
            running.remove(spec.axonId(), slot);
            throw e;
        }
    }

    /** How many brokers run (a gauge). */
    public int running() {
        return running.size();
    }

    /** Closes every broker (in parallel: each may wait for its agent's grace period). */
    @Override
    public void close() {
        closed = true;
        List<Thread> closers = running.values().stream().filter(s -> s.broker != null)
                .map(s -> Thread.ofVirtual().name("broker-close").start(s.broker::close)).toList();
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }

    /** An axon's place in {@link #running}: taken before its broker starts, so two starts cannot race. */
    private static final class Slot {
        volatile RunningBroker broker;
    }

    /** The broker as its supervisor holds it; closing it frees its axon for another mount. */
    private final class Handle implements MountedBroker {
        private final String axonId;
        private final Slot slot;
        private final RunningBroker broker;

        Handle(String axonId, Slot slot) {
            this.axonId = axonId;
            this.slot = slot;
            this.broker = slot.broker;
        }

        @Override
        public void suspend(Duration deadline) {
            broker.suspend(deadline);
        }

        @Override
        public void shutdown(Duration deadline) {
            broker.shutdown(deadline);
        }

        @Override
        public void resume() {
            broker.resume();
        }

        @Override
        public boolean idle() {
            return broker.idle();
        }

        @Override
        public void close() {
            broker.close();
            running.remove(axonId, slot);
        }
    }
}
