package io.myelin.devbox;

import io.myelin.broker.BrokerListener;
import io.myelin.broker.MountedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker mount of a devbox while the server supervises it: the broker once started, and what the broker last
 * said about its turns. It is the {@link BrokerListener} of its broker: callbacks only record the time or hand the
 * work to the supervisor's own threads, so a broker thread never waits here.
 *
 * <p>Threading: {@link #broker} is read and written under the monitor of {@link DevboxBrokers}; the rest is safe
 * from any thread.
 */
final class MountSlot implements BrokerListener {
    private static final Logger log = LoggerFactory.getLogger(MountSlot.class);

    final int index;
    final BrokerMount mount;
    private final DevboxSupervisor owner;
    /** The broker, or null while none runs (not started yet, failed to start, or closed). */
    MountedBroker broker;
    /** When the broker last reported activity or idleness (engine clock, ms); 0 before it did. */
    private volatile long lastReportMs;

    MountSlot(int index, BrokerMount mount, DevboxSupervisor owner) {
        this.index = index;
        this.mount = mount;
        this.owner = owner;
    }

    long lastReportMs() {
        return lastReportMs;
    }

    @Override
    public void activity() {
        lastReportMs = owner.nowMs();
    }

    @Override
    public void idle() {
        lastReportMs = owner.nowMs();
    }

    @Override
    public void wakeRequested() {
        owner.wake(index);
    }

    @Override
    public void agentExited(int exitCode, String reason) {
        // The broker reports it on the axon and restarts the agent on the next event; the devbox stays as it is.
        log.info("devbox {} mount {} (axon {}): agent exited with status {}: {}", owner.id(), index, mount.axonId(),
                exitCode, reason);
    }

    @Override
    public void stopped(String reason) {
        // A mount that serves nothing fails its devbox, as a broker that could not start does; failing closes the
        // brokers, so not on this broker's thread.
        Thread.ofVirtual().name("myelin-devbox-fail-" + owner.id()).start(() -> {
            try {
                owner.fail("broker mount " + index + " (axon " + mount.axonId() + ") stopped: " + reason);
            } catch (RuntimeException e) {
                log.warn("devbox {}: cannot fail it after mount {} stopped", owner.id(), index, e);
            }
        });
    }
}
