package io.myelin.intent;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long polls parked on intents ({@code GET /v1/intents/{id}?wait_ms=}), woken by the commit of an event that ends
 * an intent ({@code intent.resolved}, {@code intent.expired}, {@code intent.cancelled}). Events, not calls from the
 * code that changed the intent, wake them: on many nodes the commit feed carries every node's commits, so a resolve on
 * one node wakes the waiters of another.
 *
 * <p>A waiter registers before it reads the intent, so an end committed between its read and its wait still wakes
 * it; a wake is only a hint to read again. All waiters of one intent share one future; each holds a count so the
 * entry goes when the last leaves. At most {@code max} waiters at once (503 beyond: each holds a connection and a
 * virtual thread). Thread-safe.
 */
final class IntentWaiters {
    private final ConcurrentHashMap<String, Entry> byIntent = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;

    private static final class Entry {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        int holders;
    }

    IntentWaiters(int max) {
        this.max = max;
    }

    /** A registration: its future completes when the intent may have ended. Close it when done. */
    Registration register(String intentId) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            throw new MyelinException(ErrorKind.UNAVAILABLE, "wait_ms", max + " long polls already wait on intents"
                    + " (intents.max-waiters); poll again later").retry(true, Duration.ofSeconds(1));
        }
        Entry e = byIntent.compute(intentId, (k, old) -> {
            Entry entry = old == null ? new Entry() : old;
            entry.holders++;
            return entry;
        });
        return new Registration(intentId, e);
    }

    /** Waiters now parked. */
    int size() {
        return count.get();
    }

    /** Commit observer: wakes the waiters of every intent an event of {@code events} ended. Never blocks. */
    void committed(List<Event> events) {
        for (Event e : events) {
            if (e.origin() == Origin.SYSTEM_EVENT && ends(e.eventType())) {
                String id = idOf(e.payload());
                Entry entry = id == null ? null : byIntent.remove(id);
                if (entry != null) {
                    entry.ended.complete(null);
                }
            }
        }
    }

    private static boolean ends(String type) {
        return type.equals("intent.resolved") || type.equals("intent.expired") || type.equals("intent.cancelled");
    }

    /** The id {@link IntentJson} writes first: {@code {"id":"int_…",…}}; null for anything else. */
    static String idOf(String payload) {
        String head = "{\"id\":\"";
        if (!payload.startsWith(head)) {
            return null;
        }
        int end = payload.indexOf('"', head.length());
        return end < 0 ? null : payload.substring(head.length(), end);
    }

    /** One parked waiter. */
    final class Registration implements AutoCloseable {
        private final String intentId;
        private final Entry entry;
        private boolean closed;

        private Registration(String intentId, Entry entry) {
            this.intentId = intentId;
            this.entry = entry;
        }

        CompletableFuture<Void> ended() {
            return entry.ended;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            count.decrementAndGet();
            byIntent.computeIfPresent(intentId, (k, e) -> e != entry || --e.holders > 0 ? e : null);
        }
    }
}
