package io.myelin.devbox;

import io.myelin.devbox.DevboxLifecycle.Trigger;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.lifecycle.Lifecycle;
import io.myelin.storage.QueuedWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;

/**
 * One devbox's status and its moves: each move allowed by {@link DevboxLifecycle#TABLE}, written to the store before
 * it counts, then announced to waiters ({@code changed}); and the lifecycle event of the status it reached
 * ({@link LifecycleEvents}: {@code devbox.running}, {@code devbox.suspended}, ...) published on the devbox's axons.
 *
 * <p>Threading: guarded by its {@link DevboxSupervisor}'s lock, which every caller holds, so that the axons see the
 * events in the order of the moves.
 */
final class DevboxMoves {
    private final String id;
    private final DevboxSpec spec;
    private final DevboxContext ctx;
    private final Condition changed;
    private final Lifecycle<DevboxStatus, Trigger> lifecycle;
    private Devbox record;
    /** The server is stopping: no more moves; processes are stopped, records stay as they are. */
    private boolean closing;
    /** A shutdown finished its cleanup: nothing of the devbox runs and its workspace is gone. */
    private boolean cleanedUp;

    DevboxMoves(Devbox record, DevboxContext ctx, Condition changed) {
        this.id = record.id();
        this.spec = record.spec();
        this.ctx = ctx;
        this.changed = changed;
        this.record = record;
        this.lifecycle = Lifecycle.restore(DevboxLifecycle.TABLE, record.status(), null);
    }

    DevboxStatus state() {
        return lifecycle.state();
    }

    /** The devbox as the last durable move left it. */
    Devbox record() {
        return record;
    }

    boolean closing() {
        return closing;
    }

    /** The server is stopping: no move is made any more, and waiters give up. */
    void close() {
        closing = true;
        changed.signalAll();
    }

    /** A shutdown's cleanup is done: waiters for {@code shutdown} may see it now. */
    void cleanedUp() {
        cleanedUp = true;
        changed.signalAll();
    }

    /**
     * Waits (the lock held, released while waiting) at most {@code nanos} until the status is one of
     * {@code statuses}, or can no longer change by itself (failed, shut down, once cleaned up).
     *
     * @return the devbox then, or null when the time ran out first or the server is stopping
     */
    Devbox await(Set<DevboxStatus> statuses, long nanos) throws InterruptedException {
        long left = nanos;
        while (!reached(statuses)) {
            if (left <= 0 || closing) {
                return null;
            }
            left = changed.awaitNanos(left);
        }
        return record;
    }

    private boolean reached(Set<DevboxStatus> statuses) {
        DevboxStatus now = lifecycle.state();
        return (statuses.contains(now) || now.settled()) && (now != DevboxStatus.SHUTDOWN || cleanedUp);
    }

    boolean allows(Trigger trigger) {
        return DevboxLifecycle.TABLE.allows(lifecycle.state(), trigger);
    }

    /**
     * Makes {@code trigger}'s move durable, then takes it and wakes the waiters; false (nothing done) when the server
     * is stopping or the table does not allow it now (a shutdown overtook the worker).
     *
     * @param shutdownReason the {@code shutdown_reason} a move to {@code shutdown} records, else null
     * @param failureReason  the {@code failure_reason} a move to {@code failure} records, else null
     */
    boolean move(Trigger trigger, String shutdownReason, String failureReason) {
        if (closing || !allows(trigger)) {
            return false;
        }
        DevboxStatus to = DevboxLifecycle.TABLE.next(lifecycle.state(), trigger);
        record = ctx.store().transition(id, to, shutdownReason, failureReason);
        lifecycle.fire(trigger);
        changed.signalAll();
        return true;
    }

    /**
     * Queues the moves of {@code triggers}, one after another from the current status, as one write, and returns
     * once it is queued (see {@link DevboxStore#transitionQueued}); the moves count only at {@link #take}. Null
     * (nothing queued) when the server is stopping or the table does not allow every move.
     */
    Queued queue(Trigger... triggers) {
        if (closing) {
            return null;
        }
        DevboxStatus at = lifecycle.state();
        List<DevboxStatus> path = new ArrayList<>(triggers.length);
        for (Trigger t : triggers) {
            if (!DevboxLifecycle.TABLE.allows(at, t)) {
                return null;
            }
            at = DevboxLifecycle.TABLE.next(at, t);
            path.add(at);
        }
        return new Queued(lifecycle.state(), List.of(triggers), ctx.store().transitionQueued(id, path));
    }

    /**
     * Waits until the queued moves are durable, then takes them and wakes the waiters. The lock must have been held
     * since {@link #queue}, so nothing else moved meanwhile.
     *
     * @throws MyelinException what failed the write (nothing moved then)
     */
    void take(Queued queued) {
        Devbox after = queued.write().await();
        if (lifecycle.state() != queued.from()) {
            throw new IllegalStateException("devbox " + id + " moved while its moves were queued");
        }
        for (Trigger t : queued.triggers()) {
            lifecycle.fire(t);
        }
        record = after;
        changed.signalAll();
    }

    /** Queues the lifecycle event of {@code status} on every mounted axon (see {@link LifecycleEvents#queue}). */
    List<LifecycleEvents.Queued> queuePublish(DevboxStatus status, String reason) {
        return ctx.events().queue(id, spec.mountedAxons(), status, reason);
    }

    /** Waits for events queued by {@link #queuePublish}; failures are logged. */
    void settle(DevboxStatus status, List<LifecycleEvents.Queued> events) {
        ctx.events().settle(id, status, events);
    }

    /** Moves queued as one write from {@code from}, not taken yet. */
    record Queued(DevboxStatus from, List<Trigger> triggers, QueuedWrite<Devbox> write) {}

    /** Publishes the lifecycle event of the current status on every mounted axon, with {@code reason} (or none). */
    void publish(String reason) {
        ctx.events().publish(id, spec.mountedAxons(), lifecycle.state(), reason);
    }

    /** 409 (not worth retrying) naming the current status: {@code what} needs the devbox {@code needed}. */
    MyelinException conflict(String what, String needed) {
        return new MyelinException(ErrorKind.CONFLICT, null, "devbox " + id + " is " + lifecycle.state().wireName()
                + "; " + what + " needs it " + needed).retry(false, null);
    }
}
