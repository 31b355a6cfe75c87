package io.myelin.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.bench.http.Endpoint;
import io.myelin.bench.sse.SseEvent;
import io.myelin.bench.sse.SseStream;
import io.myelin.bench.workload.AxonClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Everything an axon's SSE stream delivers, kept in order with its arrival time, so a workload can wait for a
 * condition ("the first session/update after sequence N") instead of sleeping. A virtual thread reads the stream.
 *
 * <p>Bounded: at most {@code maxEvents} are kept; one more ends the watch with an error (a workload that needs more
 * is misconfigured). Waits always have a deadline. Thread-safe.
 */
public final class AxonWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String axonId;
    private final SseStream stream;
    private final int maxEvents;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<AxonEvent> events = new ArrayList<>();
    private IOException failure;
    private volatile boolean closed;

    private AxonWatch(String axonId, SseStream stream, int maxEvents) {
        this.axonId = axonId;
        this.stream = stream;
        this.maxEvents = maxEvents;
    }

    /** Subscribes from the start of the axon and starts reading. */
    public static AxonWatch open(Endpoint endpoint, String axonId, int maxEvents) throws IOException {
        SseStream stream = SseStream.open(endpoint, AxonClient.subscribePath(axonId, 0), 64 * 1024);
        AxonWatch w = new AxonWatch(axonId, stream, maxEvents);
        Thread.ofVirtual().name("bench-watch-" + axonId).start(w::read);
        return w;
    }

    private void read() {
        try {
            SseEvent e;
            while ((e = stream.next()) != null) {
                long now = System.nanoTime();
                if (e.isError()) throw new IOException("stream of " + axonId + " ended with an error: " + e.data());
                JsonNode n = JSON.readTree(e.data());
                AxonEvent ev = new AxonEvent(n.path("sequence").asLong(), n.path("event_type").asText(),
                        n.path("origin").asText(), n.path("payload").asText(), now);
                lock.lock();
                try {
                    if (events.size() >= maxEvents) throw new IOException("more than " + maxEvents + " events on " + axonId);
                    events.add(ev);
                    arrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            fail(new IOException("the server ended the stream of " + axonId));
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? io : new IOException(e));
        }
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null && !closed) failure = e;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many events arrived so far: an index to search from later. */
    public int mark() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first event at index {@code from} or later that matches, waiting for it up to {@code timeout}.
     *
     * @throws TimeoutException when none arrived in time (the message says what was awaited)
     * @throws IOException      when the stream failed
     */
    public AxonEvent await(int from, Predicate<AxonEvent> match, Duration timeout, String what)
            throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int i = from;
            while (true) {
                for (; i < events.size(); i++) {
                    if (match.test(events.get(i))) return events.get(i);
                }
                if (failure != null) throw failure;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException("no " + what + " on axon " + axonId + " within " + timeout);
                arrived.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the events from index {@code from} up to {@code to} (exclusive). */
    public List<AxonEvent> between(int from, int to) {
        lock.lock();
        try {
            return new ArrayList<>(events.subList(from, to));
        } finally {
            lock.unlock();
        }
    }

    /** The position of {@code event} in this watch (identity), searched from {@code from}; -1 when absent. */
    public int indexOf(AxonEvent event, int from) {
        lock.lock();
        try {
            for (int i = from; i < events.size(); i++) if (events.get(i) == event) return i;
            return -1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stream.close();
    }
}
