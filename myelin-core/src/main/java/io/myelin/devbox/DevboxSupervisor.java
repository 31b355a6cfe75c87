package io.myelin.devbox;

import io.myelin.devbox.DevboxLifecycle.Trigger;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.List;
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
    private final DevboxWorker worker;
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
        this.worker = new DevboxWorker(id, lock, ctx.options().stopTimeout(), this::workerEnded);
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
            // A worker seen in running is only finishing (a thaw, or its last move): the next one waits for it.
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
     * Resumes. Agents stopped: {@code suspended → resuming}, then (worker) launch commands again and each agent
     * started; then {@code running}. Agents frozen: both moves in one write while the worker thaws them, answered
     * {@code running} ({@link #thawNow}). Already resuming or running: answered as it is. Suspending (or its agents
     * being reattached after a restart): remembered, done once suspended.
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
            if (now == DevboxStatus.SUSPENDING || (now == DevboxStatus.SUSPENDED && worker.busy())) {
                if (pendingResume == null) {
                    pendingResume = reason; // the first one asked says why it resumes
                }
                return moves.record();
            }
            if (!moves.allows(Trigger.RESUME)) {
                throw moves.conflict("resume", "suspended");
            }
            if (agentsStopped) {
                moves.move(Trigger.RESUME, null, null);
                spawn(() -> runResume(reason));
            } else {
                thawNow(reason);
            }
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
            busy = worker.current();
        } finally {
            lock.unlock();
        }
        processes.stop();
        worker.await(busy);
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
        IdleRule rule = new IdleRule(spec.launchParameters());
        if (!rule.applies() || !lock.tryLock()) {
            return;
        }
        try {
            if (moves.state() != DevboxStatus.RUNNING || worker.busy() || idleActionQueued || moves.closing()) {
                return;
            }
            Runnable action = switch (rule.due(nowMs, keptAliveAtMs, processes.idleSinceMs())) {
                case NONE -> null;
                case SUSPEND -> () -> suspend("idle", false);
                case STOP_AGENTS -> () -> suspend("idle_shutdown", true);
                case SHUT_DOWN -> () -> shutdown("keep_alive_timeout");
            };
            if (action != null) {
                idleActionQueued = true;
                Thread.ofVirtual().name("myelin-devbox-idle-" + id).start(() -> idleAction(action));
            }
        } finally {
            lock.unlock();
        }
    }

    private void idleAction(Runnable action) {
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
            busy = worker.current();
        } finally {
            lock.unlock();
        }
        processes.stop();
        worker.await(busy);
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

    /**
     * Lock held; suspended with frozen agents. Nothing runs between resuming and running (a thaw is a signal), so
     * both moves are one write, queued with {@code devbox.running} right behind it; the worker thaws the agents
     * meanwhile, so what a woken broker writes first ({@code turn.started}) queues behind them and can share their
     * commit. The moves count once durable; when that write fails the agents are frozen again.
     */
    private void thawNow(String reason) {
        DevboxMoves.Queued queued = moves.queue(Trigger.RESUME, Trigger.STARTED);
        if (queued == null) {
            return; // the server is stopping
        }
        List<LifecycleEvents.Queued> announced = moves.queuePublish(DevboxStatus.RUNNING, reason);
        spawn(this::runThaw);
        moves.take(queued);
        agentsStopped = false;
        keptAliveAtMs = nowMs();
        moves.settle(DevboxStatus.RUNNING, announced);
    }

    /** The worker of {@link #thawNow}: thaws; freezes again when the moves did not become durable. */
    private void runThaw() {
        DevboxProcesses.Outcome thawed = processes.thaw();
        if (thawed.failure() != null) {
            log.warn("devbox {}: {}; its broker reports the agent's state", id, thawed.failure());
        }
        lock.lock();
        try {
            if (moves.state() != DevboxStatus.SUSPENDED || moves.closing()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        log.warn("devbox {}: its resume was not stored; its agents are frozen again", id);
        processes.putToRest(false);
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
     * is stopping anyway (a killed command fails because of the shutdown, not by itself). Closes the brokers: never
     * called on a broker's thread.
     */
    void fail(String why) {
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

    /**
     * Lock held, a job just ended: carries out a resume that arrived while it worked (the devbox is suspended by
     * then, or the resume no longer applies), and wakes the waiters.
     */
    private void workerEnded() {
        String resumeNow = pendingResume;
        pendingResume = null;
        if (resumeNow != null && !worker.busy() && moves.move(Trigger.RESUME, null, null)) {
            spawn(() -> runResume(resumeNow));
        }
        changed.signalAll();
    }

    /** Lock held. Starts a job on the worker. */
    private void spawn(Runnable job) {
        worker.spawn(job);
    }
}
