package io.myelin.devbox;

import io.myelin.devbox.DevboxLifecycle.Trigger;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One devbox while the server supervises it: its status, moved only through {@link DevboxLifecycle#TABLE} and each
 * move durable before it counts ({@link DevboxMoves}), and the work that moves it, done on its processes
 * ({@link DevboxProcesses}).
 *
 * <p><b>Work.</b> Starting, suspending and resuming take time (commands, agents), so a request only makes the first
 * move ({@code running → suspending}) and answers; the rest runs on the devbox's worker, a virtual thread
 * ({@code myelin-devbox-<id>}), at most one at a time. A request that arrives while the worker runs either finds
 * its goal already reached or underway (answered with the devbox as it is), is remembered ({@code resume} while
 * suspending: carried out when the worker ends), or is refused with 409 naming the current status. A shutdown
 * overtakes everything: it moves to {@code shutdown} at once, kills the command running, closes the brokers, waits
 * (bounded) for the worker to notice (its next move is refused), and removes the workspace.
 *
 * <p><b>Order of events.</b> Each lifecycle event is published ({@link DevboxMoves#publish}) under the lock right
 * after its move, so the axons see them in the order of the moves; the shutdown event follows the cleanup, when nothing of the devbox runs.
 *
 * <p><b>Idle.</b> {@link #checkIdle} (the timer thread) acts when the devbox is running with no worker, every
 * broker says it is idle, and the engine clock has passed {@code after_idle.idle_time_seconds} since the later of:
 * entering {@code running}, the last keep-alive, the last report of a broker.
 *
 * <p>Threading: thread-safe. The lock is held for moves (a durable write) and bookkeeping, never while a command or
 * an agent is waited for.
 */
final class DevboxSupervisor {
    private static final Logger log = LoggerFactory.getLogger(DevboxSupervisor.class);

    private final String id;
    private final DevboxSpec spec;
    private final DevboxContext ctx;
    private final DevboxProcesses processes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // Guarded by lock.
    private final DevboxMoves moves;
    private Thread worker;
    /** Suspended with the agents' processes stopped (idle shutdown, or restored after a restart): resume starts them. */
    private boolean agentsStopped;
    /** Why a resume that arrived while the worker was busy resumes; carried out when the worker ends. */
    private String pendingResume;
    /** An idle action was handed to a thread and has not run yet. */
    private boolean idleActionQueued;
    /** When the devbox last entered running or got a keep-alive (engine clock, ms). */
    private long keptAliveAtMs;

    private DevboxSupervisor(Devbox record, DevboxContext ctx) {
        this.id = record.id();
        this.spec = record.spec();
        this.ctx = ctx;
        this.moves = new DevboxMoves(record, ctx, changed);
        this.processes = new DevboxProcesses(id, spec, ctx, this);
        this.keptAliveAtMs = ctx.clock().millis();
    }

    /** A supervisor for a devbox just created: it provisions at once. */
    static DevboxSupervisor create(Devbox record, DevboxContext ctx) {
        DevboxSupervisor s = new DevboxSupervisor(record, ctx);
        s.lock.lock();
        try {
            s.spawn(() -> s.runStart(null));
        } finally {
            s.lock.unlock();
        }
        return s;
    }

    /**
     * A supervisor for a devbox found unfinished at start: one that was starting or running starts again, one that
     * was suspending or suspended is suspended with its agents stopped (their processes died with the server), its
     * brokers started with no agent process (their agents start at the resume) so that an event on its axons can wake
     * it.
     */
    static DevboxSupervisor recover(Devbox record, DevboxContext ctx) {
        DevboxSupervisor s = new DevboxSupervisor(record, ctx);
        s.lock.lock();
        try {
            switch (record.status()) {
                case PROVISIONING -> s.spawn(() -> s.runStart(null));
                case INITIALIZING, RUNNING, RESUMING -> {
                    s.moves.move(Trigger.RESTART, null, null);
                    s.spawn(() -> s.runStart("server_restart"));
                }
                case SUSPENDING, SUSPENDED -> {
                    s.agentsStopped = true;
                    if (record.status() == DevboxStatus.SUSPENDING) {
                        s.moves.move(Trigger.SUSPENDED, null, null);
                        s.moves.publish("server_restart");
                    }
                    s.spawn(s.processes::attachStopped);
                }
                case FAILURE, SHUTDOWN -> { }
            }
        } finally {
            s.lock.unlock();
        }
        return s;
    }

    String id() {
        return id;
    }

    long nowMs() {
        return ctx.clock().millis();
    }

    /** The devbox as it is now (the last durable move). */
    Devbox record() {
        lock.lock();
        try {
            return moves.record();
        } finally {
            lock.unlock();
        }
    }

    // ---- requests -------------------------------------------------------------------------------------------

    /**
     * Suspends: {@code running → suspending}, then (worker) suspend commands, then each agent frozen, or stopped when
     * {@code stopAgents}; then {@code suspended}. Already suspending or suspended: answered as it is.
     *
     * @throws MyelinException 409 naming the current status when it cannot suspend now
     */
    Devbox suspend(String reason, boolean stopAgents) {
        lock.lock();
        try {
            DevboxStatus now = moves.state();
            if (now == DevboxStatus.SUSPENDING || now == DevboxStatus.SUSPENDED) {
                return moves.record();
            }
            // A worker seen in running is only finishing (its last move was to running): nothing it does can clash.
            if (!moves.allows(Trigger.SUSPEND)) {
                throw moves.conflict("suspend", "running");
            }
            moves.move(Trigger.SUSPEND, null, null);
            spawn(() -> runSuspend(reason, stopAgents));
            return moves.record();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resumes: {@code suspended → resuming}, then (worker) launch commands again if the agents were stopped, then
     * each agent resumed; then {@code running}. Already resuming or running: answered as it is. Suspending (or its
     * agents being reattached after a restart): remembered, done once suspended.
     *
     * @throws MyelinException 409 naming the current status when it cannot resume
     */
    Devbox resume(String reason) {
        lock.lock();
        try {
            DevboxStatus now = moves.state();
            if (now == DevboxStatus.RESUMING || now == DevboxStatus.RUNNING) {
                return moves.record();
            }
            if (now == DevboxStatus.SUSPENDING || (now == DevboxStatus.SUSPENDED && worker != null)) {
                if (pendingResume == null) {
                    pendingResume = reason; // the first one asked says why it resumes
                }
                return moves.record();
            }
            if (!moves.allows(Trigger.RESUME)) {
                throw moves.conflict("resume", "suspended");
            }
            moves.move(Trigger.RESUME, null, null);
            spawn(() -> runResume(reason));
            return moves.record();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resets the idle clock and the keep-alive timer.
     *
     * @throws MyelinException 409 when the devbox failed or shut down
     */
    Devbox keepAlive() {
        lock.lock();
        try {
            if (moves.state().settled()) {
                throw moves.conflict("keep alive", "not failed or shut down");
            }
            keptAliveAtMs = nowMs();
            return moves.record();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts down for good and returns once nothing of the devbox runs: moves to {@code shutdown}, kills the command
     * running, closes every broker, waits (at most twice {@code stopTimeout}) for the worker to stop, removes the
     * workspace unless workspaces are kept, and publishes {@code devbox.shutdown}. Already shut down: answered as
     * it is.
     *
     * @throws MyelinException 503 (retry) when the server is stopping
     */
    Devbox shutdown(String reason) {
        Thread busy;
        lock.lock();
        try {
            if (moves.state() == DevboxStatus.SHUTDOWN) {
                return moves.record();
            }
            if (moves.closing()) {
                throw new MyelinException(ErrorKind.UNAVAILABLE, null, "the server is stopping; devbox " + id
                        + " stops with it and can be shut down for good once the server is back")
                        .retry(true, Duration.ofSeconds(1)).nothingApplied();
            }
            moves.move(Trigger.SHUTDOWN, reason, null);
            busy = worker;
        } finally {
            lock.unlock();
        }
        processes.stop();
        awaitWorker(busy);
        if (!ctx.options().keepWorkspaces()) {
            ctx.host().remove(id);
        }
        lock.lock();
        try {
            moves.publish(reason);
            moves.cleanedUp();
            return moves.record();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits at most {@code timeout} until the status is one of {@code statuses}, or can no longer change by itself
     * (failed, shut down). A shutdown counts once its cleanup is done, so a waiter never sees {@code shutdown} while
     * the devbox's processes still stop.
     *
     * @return the devbox then, or null when the time ran out first (or the server is stopping)
     */
    Devbox await(Set<DevboxStatus> statuses, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            return moves.await(statuses, timeout.toNanos());
        } finally {
            lock.unlock();
        }
    }

    /** A broker asked for a wake: resumes on another thread (a broker thread must not wait for a durable write). */
    void wake(int mountIndex) {
        if (!spec.launchParameters().lifecycle().resumeTriggers().axonEvent()) {
            return;
        }
        Thread.ofVirtual().name("myelin-devbox-wake-" + id).start(() -> {
            try {
                resume("axon_event");
            } catch (MyelinException e) {
                log.debug("devbox {}: wake from mount {} ignored: {}", id, mountIndex, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("devbox {}: wake from mount {} failed", id, mountIndex, e);
            }
        });
    }

    /**
     * The timer's look at the devbox, never blocking: once idle long enough, suspends (or stops the agents) as
     * {@code after_idle} says; without {@code after_idle}, shuts down once {@code keep_alive_time_seconds} passed
     * since the last keep-alive. The action itself runs on another thread. A devbox whose lock is held is busy, not
     * idle: it is looked at again next round.
     */
    void checkIdle(long nowMs) {
        LaunchParameters lp = spec.launchParameters();
        LifecycleConfiguration.AfterIdle afterIdle = lp.lifecycle().afterIdle();
        if ((afterIdle == null && lp.keepAliveTimeSeconds() == null) || !lock.tryLock()) {
            return;
        }
        try {
            if (moves.state() != DevboxStatus.RUNNING || worker != null || idleActionQueued || moves.closing()) {
                return;
            }
            Runnable action = null;
            if (afterIdle != null) {
                long reported = processes.idleSinceMs();
                if (reported >= 0 && nowMs - Math.max(keptAliveAtMs, reported) >= afterIdle.idleTimeSeconds() * 1000) {
                    boolean stop = afterIdle.onIdle() == LifecycleConfiguration.OnIdle.SHUTDOWN;
                    action = () -> suspend(stop ? "idle_shutdown" : "idle", stop);
                }
            } else if (nowMs - keptAliveAtMs >= lp.keepAliveTimeSeconds() * 1000) {
                action = () -> shutdown("keep_alive_timeout");
            }
            if (action != null) {
                idleActionQueued = true;
                Thread.ofVirtual().name("myelin-devbox-idle-" + id).start(idleAction(action));
            }
        } finally {
            lock.unlock();
        }
    }

    private Runnable idleAction(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("devbox {}: idle action failed: {}", id, e.getMessage());
            } finally {
                lock.lock();
                try {
                    idleActionQueued = false;
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /**
     * The server is stopping: no more moves, the command running is killed, every broker closed, and the worker
     * waited for (bounded). The durable record stays as it is, so the next start picks the devbox up again.
     */
    void close() {
        Thread busy;
        lock.lock();
        try {
            moves.close();
            busy = worker;
        } finally {
            lock.unlock();
        }
        processes.stop();
        awaitWorker(busy);
    }

    // ---- the worker's jobs ------------------------------------------------------------------------------------

    /**
     * Provisions (or restarts): workspace, setup when it is new, launch commands, brokers; then running.
     *
     * @param reason the reason {@code devbox.running} carries: null for a new devbox
     */
    private void runStart(String reason) {
        try {
            processes.workspace();
        } catch (MyelinException e) {
            fail("cannot create the workspace: " + e.getMessage());
            return;
        }
        lock.lock();
        try {
            if (moves.state() == DevboxStatus.PROVISIONING && !moves.move(Trigger.WORKSPACE_READY, null, null)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        enterRunning(processes.bringUp(), reason);
    }

    /** Suspends: suspend commands within their budget, then every agent frozen or stopped. */
    private void runSuspend(String reason, boolean stopAgents) {
        processes.putToRest(stopAgents);
        lock.lock();
        try {
            agentsStopped = stopAgents;
            if (moves.move(Trigger.SUSPENDED, null, null)) {
                moves.publish(reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Resumes: agents that were stopped come back as at a start (launch commands first), frozen ones thaw. */
    private void runResume(String reason) {
        boolean stopped;
        lock.lock();
        try {
            stopped = agentsStopped;
        } finally {
            lock.unlock();
        }
        enterRunning(stopped ? processes.bringUp() : processes.thaw(), reason);
    }

    /** Running, when the processes came up; else failed (or nothing, when the devbox is stopping). */
    private void enterRunning(DevboxProcesses.Outcome outcome, String reason) {
        if (outcome.failure() != null) {
            fail(outcome.failure());
            return;
        }
        if (outcome.stopped()) {
            return;
        }
        lock.lock();
        try {
            agentsStopped = false;
            if (moves.move(Trigger.STARTED, null, null)) {
                keptAliveAtMs = nowMs();
                moves.publish(reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The devbox failed: its brokers are closed, then {@code failure} with {@code execution_failed}. Nothing when it
     * is stopping anyway (a killed command fails because of the shutdown, not by itself).
     */
    private void fail(String why) {
        lock.lock();
        try {
            if (moves.closing() || moves.state() == DevboxStatus.SHUTDOWN) {
                return;
            }
        } finally {
            lock.unlock();
        }
        processes.closeBrokers();
        log.warn("devbox {} failed: {}", id, why);
        lock.lock();
        try {
            if (moves.move(Trigger.FAIL, null, "execution_failed")) {
                moves.publish(why);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * Lock held. Starts the worker. When a worker ends it clears itself, wakes waiters, and carries out a resume that
     * arrived while it worked (the devbox is suspended by then, or the resume no longer applies).
     */
    private void spawn(Runnable job) {
        Thread t = Thread.ofVirtual().name("myelin-devbox-" + id).unstarted(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.error("devbox {}: its worker failed", id, e);
            } finally {
                lock.lock();
                try {
                    if (worker == Thread.currentThread()) {
                        worker = null;
                    }
                    String resumeNow = pendingResume;
                    pendingResume = null;
                    if (resumeNow != null && worker == null && moves.move(Trigger.RESUME, null, null)) {
                        spawn(() -> runResume(resumeNow));
                    }
                    changed.signalAll();
                } catch (RuntimeException e) {
                    log.error("devbox {}: cannot resume after its worker", id, e);
                } finally {
                    lock.unlock();
                }
            }
        });
        worker = t;
        t.start();
    }

    /** Waits for the worker to notice it should stop: at most twice the stop timeout (an agent may be stopping). */
    private void awaitWorker(Thread busy) {
        if (busy == null || busy == Thread.currentThread()) {
            return;
        }
        Duration limit = ctx.options().stopTimeout().multipliedBy(2);
        try {
            if (!busy.join(limit)) {
                log.warn("devbox {}: its worker is still busy after {}; going on without it", id, limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
