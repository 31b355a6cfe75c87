package io.myelin.intent;

import io.myelin.axon.AxonIndex;
import io.myelin.axon.LiveAxon;
import io.myelin.error.MyelinException;
import io.myelin.storage.QueuedWrite;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires intents' timers — a time intent's {@code fire_at_ms}, deadlines, reminders — from the store, not from memory:
 * one thread ({@code myelin-intent-timers}) reads the earliest due rows ({@link IntentStore#due}, an index range) in
 * batches of {@value #BATCH}, queues their changes in due order (so they commit in that order, grouped into few
 * transactions) and waits for them; then it sleeps until the next due time it saw, at most {@value #IDLE_MS} ms, or
 * until {@link #scheduled} tells it of an earlier one. Any number of waiting timers costs no thread and no heap.
 *
 * <p><b>Once, even across crashes.</b> A timer's change is decided on the row inside the write
 * ({@link IntentRules#due}): the change moves the row's due time on (or clears it) in the same transaction as its
 * event, so a crash before the commit leaves the timer due — it fires at the next start — and after it leaves nothing
 * to fire again. Everything that fell due while the server was down is due at start and fires then, earliest first.
 *
 * <p>A batch that fails (storage unavailable) is logged and retried after {@value #RETRY_MS} ms; the loop never dies.
 */
final class IntentTimers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentTimers.class);
    static final int BATCH = 512;
    static final long IDLE_MS = 1000;
    static final long RETRY_MS = 1000;

    private final IntentStore store;
    private final AxonIndex axons;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private long plannedWakeMs = Long.MAX_VALUE; // guarded by lock
    private boolean nudged; // guarded by lock
    private volatile boolean closed;

    IntentTimers(IntentStore store, AxonIndex axons, InstantSource clock) {
        this.store = store;
        this.axons = axons;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("myelin-intent-timers").daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** A timer was stored with due time {@code dueAtMs} (null: none): wakes the loop if it plans to sleep past it. */
    void scheduled(Long dueAtMs) {
        if (dueAtMs == null) {
            return;
        }
        lock.lock();
        try {
            if (dueAtMs < plannedWakeMs) {
                nudged = true;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            long sleepUntil;
            try {
                sleepUntil = fireDue();
            } catch (MyelinException | IllegalStateException e) {
                log.warn("intent timers: {}; retrying in {} ms", e.getMessage(), RETRY_MS);
                sleepUntil = clock.millis() + RETRY_MS;
            } catch (RuntimeException e) {
                log.error("intent timers failed; retrying in {} ms", RETRY_MS, e);
                sleepUntil = clock.millis() + RETRY_MS;
            }
            sleepUntil(sleepUntil);
        }
    }

    /** Fires every timer due now, batch by batch; returns when the loop should look again. */
    private long fireDue() {
        while (!closed) {
            long now = clock.millis();
            List<IntentStore.Due> due = store.due(now + IDLE_MS, BATCH);
            List<QueuedWrite<Intent>> queued = new ArrayList<>();
            long next = now + IDLE_MS;
            for (IntentStore.Due d : due) {
                if (d.dueAtMs() > now) {
                    next = d.dueAtMs();
                    break;
                }
                LiveAxon axon = axons.find(d.axonId());
                if (axon != null) {
                    queued.add(store.change(axon, d.intentId(), IntentRules::due, null));
                }
            }
            for (QueuedWrite<Intent> q : queued) {
                try {
                    q.await();
                } catch (MyelinException e) {
                    if (e.notApplied()) {
                        log.debug("intent timer not fired: {}", e.getMessage());
                    } else {
                        throw e;
                    }
                }
            }
            if (queued.size() < BATCH || due.size() < BATCH) {
                return next;
            }
        }
        return clock.millis();
    }

    private void sleepUntil(long wakeAtMs) {
        lock.lock();
        try {
            plannedWakeMs = wakeAtMs;
            while (!closed && !nudged) {
                long left = wakeAtMs - clock.millis();
                if (left <= 0) {
                    break;
                }
                wake.awaitNanos(left * 1_000_000);
            }
            nudged = false;
            plannedWakeMs = Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
