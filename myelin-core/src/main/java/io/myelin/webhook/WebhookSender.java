package io.myelin.webhook;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook deliveries from the store: one {@code myelin-webhooks} platform thread decides what goes out
 * next, each attempt runs on its own virtual thread ({@link DeliveryAttempt}).
 *
 * <p>Order: a webhook's deliveries go out in the order of the changes they report. Only a webhook's oldest pending
 * delivery is ever in flight; the next one is read from the store once that one is delivered or dead. Across
 * webhooks, at most {@code webhooks.max-concurrent-attempts} attempts run at once.
 *
 * <p>Nothing lives only in memory: the store holds every delivery and when it is due. What this class keeps is which
 * webhooks to look at: those the outbox reported new deliveries for ({@link #added}, after their commit), those
 * whose oldest pending delivery falls due (a timer per webhook, at most one each), those whose attempt just ended,
 * and at start every webhook with pending deliveries. Its sets are bounded by the number of webhooks.
 *
 * <p>Threading: {@link #added} and {@link #retried} may be called from any thread (the outbox calls {@code added}
 * on the writer thread) and never block on I/O; the scheduler thread reads the store (through its read pool) and
 * starts attempts; attempts record their outcome through the store's writer. Everything caught and logged.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** How long a webhook waits before its store read or outcome write is tried again after a storage failure. */
    static final long STORAGE_RETRY_MS = 1000;

    private final WebhookStore store;
    private final WebhookOptions options;
    private final InstantSource clock;
    private final DeliveryAttempt attempts;
    private final Semaphore permits;
    private final Object lock = new Object();
    /** Webhooks to look at. Guarded by {@link #lock}. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Webhooks whose oldest pending delivery is due later: when. Guarded by {@link #lock}. */
    private final Map<String, Long> waiting = new HashMap<>();
    /** Webhooks being looked at or with an attempt in flight. Guarded by {@link #lock}. */
    private final Set<String> busy = new HashSet<>();
    private final Thread scheduler;
    private final java.util.concurrent.atomic.LongAdder[] outcomes = {new java.util.concurrent.atomic.LongAdder(),
            new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};
    private volatile boolean closed;

    public WebhookSender(WebhookStore store, WebhookOptions options, InstantSource clock) {
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.attempts = new DeliveryAttempt(options, new TargetGuard(options.allowPrivateTargets()));
        this.permits = new Semaphore(options.maxConcurrentAttempts());
        this.scheduler = Thread.ofPlatform().name("myelin-webhooks").daemon(true).unstarted(this::loop);
        this.scheduler.setUncaughtExceptionHandler((t, e) -> log.error("uncaught in {}", t.getName(), e));
    }

    /** Listens to the outbox, then looks at every webhook with pending deliveries (those a restart left). */
    public void start() {
        store.onDeliveriesAdded(this::added);
        List<String> pending = store.webhooksWithPending();
        synchronized (lock) {
            dirty.addAll(pending);
        }
        scheduler.start();
    }

    /**
     * New deliveries of these webhooks are committed. A webhook waiting for its oldest delivery's next attempt is left
     * waiting: the new ones come after that one.
     */
    void added(Set<String> webhookIds) {
        synchronized (lock) {
            for (String id : webhookIds) {
                if (!waiting.containsKey(id)) {
                    dirty.add(id);
                }
            }
            lock.notifyAll();
        }
    }

    /** A delivery of this webhook was made pending by hand: its oldest pending delivery may have changed. */
    void retried(String webhookId) {
        synchronized (lock) {
            waiting.remove(webhookId);
            dirty.add(webhookId);
            lock.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                for (String id : takeReady()) {
                    look(id);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("webhook scheduler failed; going on", e);
            }
        }
    }

    /**
     * Waits until some webhook is to be looked at and an attempt permit is free, then takes as many such webhooks as
     * there are free permits (each holding one, released if it turns out to have nothing due).
     */
    private List<String> takeReady() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (closed) {
                    return List.of();
                }
                long now = clock.millis();
                long nextDue = Long.MAX_VALUE;
                for (Iterator<Map.Entry<String, Long>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Long> e = it.next();
                    if (e.getValue() <= now) {
                        dirty.add(e.getKey());
                        it.remove();
                    } else {
                        nextDue = Math.min(nextDue, e.getValue());
                    }
                }
                List<String> ready = new ArrayList<>();
                for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
                    String id = it.next();
                    if (!busy.contains(id) && permits.tryAcquire()) {
                        it.remove();
                        busy.add(id);
                        ready.add(id);
                    }
                }
                if (!ready.isEmpty()) {
                    return ready;
                }
                lock.wait(nextDue == Long.MAX_VALUE ? 0 : Math.max(1, nextDue - now));
            }
        }
    }

    /** Reads a webhook's oldest pending delivery and starts its attempt when it is due. Holds one permit. */
    private void look(String webhookId) {
        DueDelivery due;
        try {
            due = store.oldestPending(webhookId);
        } catch (RuntimeException e) {
            log.warn("cannot read the pending deliveries of webhook {}: {}; trying again shortly", webhookId,
                    e.getMessage());
            release(webhookId, clock.millis() + STORAGE_RETRY_MS);
            return;
        }
        if (due == null) {
            release(webhookId, -1);
            return;
        }
        long dueAt = dueAt(due.delivery());
        if (dueAt > clock.millis()) {
            release(webhookId, dueAt);
            return;
        }
        Thread.ofVirtual().name("myelin-webhook-attempt").start(() -> attempt(webhookId, due));
    }

    /** The first attempt waits the schedule's first delay after the event; later ones the stored time. */
    private long dueAt(Delivery d) {
        long next = d.nextAttemptAtMs() == null ? d.createdAtMs() : d.nextAttemptAtMs();
        return d.attempts() == 0 ? Math.max(next, d.createdAtMs() + options.retrySchedule().get(0).toMillis()) : next;
    }

    private void attempt(String webhookId, DueDelivery due) {
        long retryAt = -1;
        try {
            AttemptOutcome outcome = attempts.run(due, clock.millis());
            if (closed) {
                return; // cut short by the stop: still pending as it was, it goes out after the next start
            }
            outcomes[outcome.status().ordinal()].increment();
            try {
                store.recordAttempt(outcome);
            } catch (RuntimeException e) {
                // Still pending in the store with its old due time: it goes out again (receivers de-duplicate).
                if (!closed) log.warn("cannot record the attempt of delivery {}: {}", outcome.deliveryId(), e.getMessage());
                retryAt = clock.millis() + STORAGE_RETRY_MS;
            }
        } catch (RuntimeException e) {
            log.error("webhook attempt of delivery {} failed", due.delivery().id(), e);
            retryAt = clock.millis() + STORAGE_RETRY_MS;
        } finally {
            if (retryAt < 0) {
                synchronized (lock) {
                    dirty.add(webhookId);
                }
            }
            release(webhookId, retryAt);
        }
    }

    /** Ends a look or an attempt: frees its permit and, when {@code dueAt >= 0}, looks at the webhook again then. */
    private void release(String webhookId, long dueAt) {
        synchronized (lock) {
            busy.remove(webhookId);
            if (dueAt >= 0) {
                waiting.merge(webhookId, dueAt, Math::min);
            }
            permits.release();
            lock.notifyAll();
        }
    }

    /**
     * Attempts made since start that left their delivery {@code status}: pending (failed, another attempt follows),
     * delivered, dead (for metrics).
     */
    public long attempts(DeliveryStatus status) {
        return outcomes[status.ordinal()].sum();
    }

    /** Attempts now in flight (for metrics). */
    public int inFlight() {
        return options.maxConcurrentAttempts() - permits.availablePermits();
    }

    /** Stops the scheduler; attempts in flight end with the HTTP client, their outcomes unrecorded (still pending). */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        scheduler.interrupt();
        attempts.close();
        try {
            scheduler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
