package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Live subscribers per axon. Only axons that currently have subscribers have an entry, so idle axons cost nothing
 * here.
 *
 * <p>After each commit the writer thread takes the axon's subscriber array (copy-on-write: no lock) and hands
 * it, with the events, to one dispatcher thread, which offers them to every buffer and wakes the readers. Waking
 * a hundred readers per event costs more than a commit, so it stays off the writer: publishers are answered
 * without waiting for fan-out. One dispatcher thread keeps every subscriber's events in commit order.
 * Registration and removal (rare by comparison) take one lock and replace the array.
 */
final class Fanout {
    private static final SubscriberBuffer[] NONE = new SubscriberBuffer[0];

    private final ConcurrentHashMap<Long, SubscriberBuffer[]> byAxon = new ConcurrentHashMap<>();
    private final ReentrantLock registration = new ReentrantLock();
    private final int maxPerAxon;
    private final int maxTotal;
    private int total;
    private final LinkedBlockingQueue<Runnable> dispatch = new LinkedBlockingQueue<>();
    private final Thread dispatcher = Thread.ofPlatform().name("myelin-fanout").daemon(true).start(this::dispatchLoop);

    Fanout(int maxPerAxon, int maxTotal) {
        this.maxPerAxon = maxPerAxon;
        this.maxTotal = maxTotal;
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
     * Writer thread, after commit: queues the events for every subscriber registered now. A subscriber that
     * registers later reads them from storage instead (see {@link Subscription}).
     */
    void deliver(LiveAxon axon, List<Event> events) {
        SubscriberBuffer[] subs = byAxon.get(axon.pk());
        if (subs == null) {
            return;
        }
        dispatch.add(() -> {
            for (SubscriberBuffer s : subs) {
                s.offer(events);
            }
        });
    }

    private void dispatchLoop() {
        while (true) {
            try {
                dispatch.take().run();
            } catch (InterruptedException e) {
                return;
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
