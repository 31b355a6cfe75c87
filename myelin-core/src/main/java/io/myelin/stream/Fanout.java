package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Live subscribers per axon. Only axons that currently have subscribers have an entry, so idle axons cost nothing
 * here.
 *
 * <p>Delivery runs on the writer thread after each commit and reads a copy-on-write array: no lock on the hot
 * path. Registration and removal (rare by comparison) take one lock and replace the array.
 */
final class Fanout {
    private static final SubscriberBuffer[] NONE = new SubscriberBuffer[0];

    private final ConcurrentHashMap<Long, SubscriberBuffer[]> byAxon = new ConcurrentHashMap<>();
    private final ReentrantLock registration = new ReentrantLock();
    private final int maxPerAxon;
    private final int maxTotal;
    private int total;

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

    /** Writer thread, after commit: hands the events to every live subscriber of the axon. */
    void deliver(LiveAxon axon, List<Event> events) {
        SubscriberBuffer[] subs = byAxon.get(axon.pk());
        if (subs == null) {
            return;
        }
        for (SubscriberBuffer s : subs) {
            s.offer(events);
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

    int total() {
        registration.lock();
        try {
            return total;
        } finally {
            registration.unlock();
        }
    }
}
