package io.myelin.devbox;

import io.myelin.broker.BrokerSpec;
import io.myelin.broker.MountedBroker;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brokers of one devbox's mounts: started from the mount and the operator's agent ({@link BrokerSpec}), frozen,
 * stopped, resumed, and closed for good. Once closed (the devbox shut down or failed, or the server is stopping) no
 * broker attaches any more: one that the worker was starting meanwhile is closed as soon as it has started.
 *
 * <p>Threading: thread-safe. The monitor guards only the broker references and the closed flag; it is never held
 * while a broker works, so a slow agent never blocks a shutdown.
 */
final class DevboxBrokers {
    private static final Logger log = LoggerFactory.getLogger(DevboxBrokers.class);
    /** The least a broker gets to freeze its agent, even when the suspend commands spent the budget. */
    private static final Duration MIN_FREEZE = Duration.ofSeconds(1);

    private final String devboxId;
    private final DevboxSpec spec;
    private final DevboxContext ctx;
    private final List<MountSlot> slots = new ArrayList<>();
    private boolean closed;

    DevboxBrokers(String devboxId, DevboxSpec spec, DevboxContext ctx, DevboxSupervisor owner) {
        this.devboxId = devboxId;
        this.spec = spec;
        this.ctx = ctx;
        for (int i = 0; i < spec.mounts().size(); i++) {
            slots.add(new MountSlot(i, spec.mounts().get(i), owner));
        }
    }

    /**
     * Starts every mount's broker that is not running and resumes the others.
     *
     * @return false when the brokers were closed meanwhile (the devbox is stopping)
     * @throws MyelinException naming the mount whose agent did not start or resume
     */
    boolean bringUp(Workspace w, Map<String, String> environment) {
        for (MountSlot s : slots) {
            MountedBroker existing = brokerOf(s);
            try {
                if (existing != null) {
                    existing.resume();
                } else if (!start(s, w, environment, true)) {
                    return false;
                }
            } catch (RuntimeException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "mount " + s.index + " (axon " + s.mount.axonId()
                        + "): the agent did not " + (existing != null ? "resume" : "start") + ": " + e.getMessage(), e);
            }
        }
        return true;
    }

    /**
     * Starts the brokers after a restart of the server for a suspended devbox, with their agents stopped (no agent
     * process runs until the resume): the relays watch their axons, so a turn-starting event can wake the devbox. A
     * mount whose broker does not start is logged and left for the resume to start.
     */
    void attachStopped(Workspace w, Map<String, String> environment) {
        for (MountSlot s : slots) {
            try {
                if (!start(s, w, environment, false)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("devbox {} mount {}: broker not started after the restart; a resume starts it: {}",
                        devboxId, s.index, e.getMessage());
            }
        }
    }

    /** Thaws every frozen agent. @throws MyelinException naming the mount whose agent did not resume */
    void resumeAll() {
        for (MountSlot s : slots) {
            MountedBroker b = brokerOf(s);
            if (b == null) {
                continue;
            }
            try {
                b.resume();
            } catch (RuntimeException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "mount " + s.index + " (axon " + s.mount.axonId()
                        + "): the agent did not resume: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Freezes every agent within {@code deadline} (at least a second each), or stops them all when {@code stop}.
     * An agent that cannot be frozen is stopped instead: either way it uses no CPU afterwards.
     */
    void putToRest(boolean stop, Duration deadline) {
        Duration freeze = deadline.compareTo(MIN_FREEZE) < 0 ? MIN_FREEZE : deadline;
        for (MountedBroker b : running()) {
            if (stop) {
                stop(b);
                continue;
            }
            try {
                b.suspend(freeze);
            } catch (RuntimeException e) {
                log.warn("devbox {}: an agent could not be frozen ({}); stopping it instead", devboxId, e.toString());
                stop(b);
            }
        }
    }

    /** Closes every broker for good; no broker attaches after this. Idempotent. */
    void closeAll() {
        List<MountedBroker> taken = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (MountSlot s : slots) {
                if (s.broker != null) {
                    taken.add(s.broker);
                    s.broker = null;
                }
            }
        }
        for (MountedBroker b : taken) {
            try {
                b.close();
            } catch (RuntimeException e) {
                log.warn("devbox {}: a broker did not close cleanly: {}", devboxId, e.toString());
            }
        }
    }

    /**
     * When the brokers last reported anything (engine clock, ms; 0 before any did), or -1 while some broker says a
     * turn runs or is queued.
     */
    long idleSinceMs() {
        long since = 0;
        for (MountSlot s : slots) {
            MountedBroker b = brokerOf(s);
            if (b != null && !b.idle()) {
                return -1;
            }
            since = Math.max(since, s.lastReportMs());
        }
        return since;
    }

    /**
     * Starts the slot's broker, with its agent running or ({@code launchAgent} false) stopped. False when the brokers
     * were closed meanwhile (the new broker is closed again).
     */
    private boolean start(MountSlot s, Workspace w, Map<String, String> environment, boolean launchAgent) {
        if (ctx.brokers() == null) {
            throw new MyelinException(ErrorKind.UNPROCESSABLE, null, "this server was started without a broker");
        }
        AgentBinary binary = ctx.options().binaries().get(s.mount.agentBinary());
        if (binary == null) {
            throw new MyelinException(ErrorKind.UNPROCESSABLE, null, "agent '" + s.mount.agentBinary()
                    + "' is no longer configured on this server (agents.binaries)");
        }
        Path dir = s.mount.workingDirectory() == null ? w.directory()
                : w.directory().resolve(s.mount.workingDirectory()).normalize();
        try {
            OwnerOnly.createDirectories(dir);
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot create working directory " + dir + ": "
                    + e.getMessage(), e);
        }
        BrokerSpec bs = new BrokerSpec(devboxId, s.mount.axonId(), s.mount.protocol(),
                binary.command(s.mount.launchArgs()), dir, environment,
                spec.launchParameters().lifecycle().resumeTriggers().axonEvent());
        MountedBroker b = launchAgent ? ctx.brokers().start(bs, s) : ctx.brokers().startStopped(bs, s);
        synchronized (this) {
            if (!closed) {
                s.broker = b;
                return true;
            }
        }
        b.close();
        return false;
    }

    private void stop(MountedBroker b) {
        try {
            b.shutdown(ctx.options().stopTimeout());
        } catch (RuntimeException e) {
            log.warn("devbox {}: an agent could not be stopped: {}", devboxId, e.toString());
        }
    }

    private synchronized MountedBroker brokerOf(MountSlot s) {
        return s.broker;
    }

    private synchronized List<MountedBroker> running() {
        List<MountedBroker> out = new ArrayList<>();
        for (MountSlot s : slots) {
            if (s.broker != null) {
                out.add(s.broker);
            }
        }
        return out;
    }
}
