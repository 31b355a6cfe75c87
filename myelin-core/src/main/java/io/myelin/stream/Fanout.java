package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Live subscribers per axon. Only axons that currently have subscribers have an entry, so idle axons cost nothing
 * here.
 *
 * <p>After each commit the {@link CommitFeed} listener takes the axon's subscriber array (copy-on-write: no lock)
 * and hands it, with the events, to one dispatcher thread ({@code myelin-fanout}), which offers them to every buffer
 * and wakes the readers. Waking a hundred readers per event costs more than a commit, so it stays off the commit
 * path: publishers are answered without waiting for fan-out. One dispatcher thread keeps every subscriber's events
 * in commit order. Registration and removal (rare by comparison) take one lock and replace the array.
 *
 * <p><b>Bounded.</b> At most {@code queueCapacity} deliveries wait for the dispatcher (each holds its events).
 * When it is full, the subscribers of that delivery are marked overflowed instead: they re-read what they missed
 * from storage, exactly as a slow reader whose own buffer overflowed does, so nothing is lost and memory stays
 * bounded. The dispatcher catches and logs everything; one failing delivery cannot stop it.
 */
final class Fanout {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);
    private static final SubscriberBuffer[] NONE = new SubscriberBuffer[0];

    private final ConcurrentHashMap<Long, SubscriberBuffer[]> byAxon = new ConcurrentHashMap<>();
    private final ReentrantLock registration = new ReentrantLock();
    private final int maxPerAxon;
    private final int maxTotal;
    private int total;
    private final ArrayBlockingQueue<Delivery> dispatch;
    private final Thread dispatcher;

    /** Events for the subscribers registered when they were committed. */
    private record Delivery(SubscriberBuffer[] subscribers, List<Event> events) {}

    Fanout(int maxPerAxon, int maxTotal, int queueCapacity) {
        this.maxPerAxon = maxPerAxon;
        this.maxTotal = maxTotal;
        this.dispatch = new ArrayBlockingQueue<>(queueCapacity);
        this.dispatcher = Thread.ofPlatform().name("myelin-fanout").daemon(true).start(this::dispatchLoop);
    }

    void register(LiveAxon axon, SubscriberBuffer buffer) {
        registration.lock();
        try {
            if (total >= maxTotal) {
                throw new MyelinException(ErrorKind.TOO_MANY_REQUESTS, null,
                        "the server has " + total + " open SSE streams; the limit is " + maxTotal + " (sse.max-connections)");
            }
            SubscriberBuffer[] current = byAxon.getOrDefault(axon.pk(), NONE);
            if (current.length >= maxPerAxon) {
                throw new MyelinException(ErrorKind.TOO_MANY_REQUESTS, null, "axon " + axon.id() + " has " + current.length
                        + " open SSE streams; the limit is " + maxPerAxon + " (sse.max-per-axon)");
            }
            SubscriberBuffer[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = buffer;
            byAxon.put(axon.pk(), next);
            total++;
        } finally {
            registration.unlock();
        }
        if (axon.deleted()) { // deleted while we registered: the deletion sweep may have missed us
            buffer.close();
        }
    }

    void unregister(LiveAxon axon, SubscriberBuffer buffer) {
        registration.lock();
        try {
            SubscriberBuffer[] current = byAxon.get(axon.pk());
            if (current == null) {
                return;
            }
            int at = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == buffer) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return;
            }
            total--;
            if (current.length == 1) {
                byAxon.remove(axon.pk());
                return;
            }
            SubscriberBuffer[] next = new SubscriberBuffer[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
            byAxon.put(axon.pk(), next);
        } finally {
            registration.unlock();
        }
    }

    /**
     * Commit-feed thread, after commit: queues the events for every subscriber registered now; never blocks. A
     * subscriber that registers later reads them from storage instead (see {@link Subscription}).
     */
    void deliver(LiveAxon axon, List<Event> events) {
        SubscriberBuffer[] subs = byAxon.get(axon.pk());
        if (subs == null) {
            return;
        }
        if (!dispatch.offer(new Delivery(subs, events))) {
            for (SubscriberBuffer s : subs) {
                s.overflow();
            }
        }
    }

    /** Deliveries waiting for the dispatcher. */
    int backlog() {
        return dispatch.size();
    }

    private void dispatchLoop() {
        while (true) {
            Delivery d;
            try {
                d = dispatch.take();
            } catch (InterruptedException e) {
                return;
            }
            for (SubscriberBuffer s : d.subscribers()) {
                try {
                    s.offer(d.events());
                } catch (RuntimeException | Error e) {
                    log.error("fan-out to a subscriber failed; it re-reads from storage", e);
                    s.overflow();
                }
            }
        }
    }

    /** Ends every stream of a deleted axon. */
    void closeAll(LiveAxon axon) {
        SubscriberBuffer[] subs = byAxon.get(axon.pk());
        if (subs != null) {
            for (SubscriberBuffer s : subs) {
                s.close();
            }
        }
    }

    /** Ends every stream on every axon (server shutdown). */
    void closeEverything() {
        dispatcher.interrupt();
        for (SubscriberBuffer[] subs : byAxon.values()) {
            for (SubscriberBuffer s : subs) {
                s.close();
            }
        }
    }

    int total() {
        registration.lock();
        try {
            return total;
        } finally {
            registration.unlock();
        }
    }
}
