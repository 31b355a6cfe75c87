package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link Subscription} over {@code GET /v1/axons/{id}/subscribe/sse}, reconnecting until closed.
 *
 * <p>How "no gap, no duplicate" holds: {@code received} is the sequence of the last event accepted into the
 * buffer, and every (re)connection asks for {@code after_sequence=received}. Events already buffered stay
 * buffered across reconnects, so nothing the server sent is lost; and an event whose sequence is not above
 * {@code received} is dropped, so a replay that overlaps is never delivered twice.
 *
 * <p>Threads: one virtual reader thread runs the connect/read/back-off loop; one virtual watchdog thread
 * interrupts the reader when the stream has been silent for longer than the silence timeout; consumers call
 * {@link #poll}. All shared state is guarded by {@code lock}.
 */
final class SseSubscription implements Subscription {
    record Settings(Duration initialDelay, Duration maxDelay, Duration silenceTimeout, Duration headersTimeout,
                    int bufferSize) {
    }

    /** Why one connection ended. */
    private enum End { EOF, IDLE_TIMEOUT, BROKEN, FATAL }

    private final Transport transport;
    private final String streamPath;
    private final Settings settings;
    private final Consumer<SseSubscription> onClose;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    // guarded by lock:
    private final ArrayDeque<AxonEvent> buffer = new ArrayDeque<>();
    private SubscriptionState state = SubscriptionState.CONNECTING;
    private long received;
    private long delivered;
    private MyelinApiException failure;
    private long lastActivityNanos;
    private Thread reader;
    private Thread watchdog;

    SseSubscription(Transport transport, String axonPath, long afterSequence, Settings settings,
                    Consumer<SseSubscription> onClose) {
        this.transport = transport;
        this.streamPath = axonPath + "/subscribe/sse";
        this.settings = settings;
        this.onClose = onClose;
        this.received = afterSequence;
        this.delivered = afterSequence;
    }

    void start() {
        lock.lock();
        try {
            reader = Thread.ofVirtual().name("myelin-sse" + streamPath).start(this::readLoop);
            watchdog = Thread.ofVirtual().name("myelin-sse-watchdog" + streamPath).start(this::watch);
        } finally {
            lock.unlock();
        }
    }

    // ---- consumer side ----

    @Override
    public Optional<AxonEvent> poll(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (buffer.isEmpty()) {
                if (state == SubscriptionState.CLOSED) {
                    if (failure != null) {
                        // A fresh instance so the stack trace points at the consumer, not the reader thread.
                        throw MyelinApiException.of(failure.status(), failure.type(), failure.serverMessage(), failure.field());
                    }
                    return Optional.empty();
                }
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            AxonEvent e = buffer.poll();
            delivered = e.sequence();
            notFull.signal();
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Stream<AxonEvent> stream() {
        Spliterator<AxonEvent> s = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super AxonEvent> action) {
                try {
                    while (true) {
                        Optional<AxonEvent> e = poll(Duration.ofSeconds(1));
                        if (e.isPresent()) {
                            action.accept(e.get());
                            return true;
                        }
                        if (state() == SubscriptionState.CLOSED && isDrained()) {
                            return false;
                        }
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        return StreamSupport.stream(s, false);
    }

    @Override
    public SubscriptionState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lastSequence() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread r;
        Thread w;
        lock.lock();
        try {
            if (state == SubscriptionState.CLOSED && failure == null && buffer.isEmpty() && reader == null) {
                return;
            }
            state = SubscriptionState.CLOSED;
            buffer.clear(); // the caller wants no more events, buffered or not
            notEmpty.signalAll();
            notFull.signalAll();
            r = reader;
            w = watchdog;
            reader = null;
            watchdog = null;
        } finally {
            lock.unlock();
        }
        // Interrupting wakes the reader wherever it blocks: connecting, reading, backing off, or waiting for room.
        if (r != null) {
            r.interrupt();
        }
        if (w != null) {
            w.interrupt();
        }
        onClose.accept(this);
    }

    private boolean isDrained() {
        lock.lock();
        try {
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side ----

    private void readLoop() {
        Backoff backoff = new Backoff(settings.initialDelay(), settings.maxDelay());
        while (enter(SubscriptionState.CONNECTING)) {
            End end;
            long connectedAt = System.nanoTime();
            long receivedBefore = cursor();
            try (InputStream in = transport.openStream(streamPath, new Query().add("after_sequence", startCursor()),
                    settings.headersTimeout())) {
                if (!enter(SubscriptionState.STREAMING)) {
                    return;
                }
                end = pump(in);
            } catch (MyelinApiException e) {
                end = retryable(e.status()) ? End.BROKEN : fail(e);
            } catch (MyelinConnectionException | IOException e) {
                end = End.BROKEN;
            } catch (InterruptedException e) {
                end = End.BROKEN; // closed, or the watchdog cut a silent stream; the loop condition tells which
            }
            Thread.interrupted(); // a watchdog interrupt must not poison the next attempt
            if (end == End.FATAL) {
                return;
            }
            boolean healthy = cursor() > receivedBefore || System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(2);
            if (end == End.IDLE_TIMEOUT || healthy) {
                backoff.reset();
            }
            if (end == End.IDLE_TIMEOUT) {
                continue; // the server's routine idle close: reconnect at once
            }
            if (!enter(SubscriptionState.BACKING_OFF)) {
                return;
            }
            try {
                Thread.sleep(backoff.next());
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
        }
    }

    private End pump(InputStream in) throws IOException, InterruptedException {
        SseParser parser = new SseParser(in, this::touch);
        SseParser.Frame f;
        while ((f = parser.next()) != null) {
            if ("error".equals(f.event())) {
                return serverError(f.data());
            }
            if (f.data().isBlank() || (f.event() != null && !f.event().equals("message"))) {
                continue; // frames of other types are not events of the log
            }
            offer(Wire.event(Wire.MAPPER.readTree(f.data())));
        }
        return End.EOF;
    }

    private End serverError(String data) {
        int code = 0;
        String message = data;
        try {
            JsonNode n = Wire.MAPPER.readTree(data);
            code = n.path("code").asInt(0);
            message = n.path("message").asText(data);
        } catch (IOException | RuntimeException e) {
            // unreadable error frame: treat as a broken stream
        }
        if (code == 408) {
            return End.IDLE_TIMEOUT;
        }
        if (code == 0 || retryable(code)) {
            return End.BROKEN;
        }
        return fail(MyelinApiException.of(code, "stream_error", message, null));
    }

    /** Buffers one event unless it is a replayed duplicate; waits while the buffer is full. */
    private void offer(AxonEvent e) throws InterruptedException {
        lock.lock();
        try {
            if (e.sequence() <= received) {
                return;
            }
            while (buffer.size() >= settings.bufferSize() && state != SubscriptionState.CLOSED) {
                notFull.await();
            }
            if (state == SubscriptionState.CLOSED) {
                throw new InterruptedException("closed");
            }
            buffer.add(e);
            received = e.sequence();
            lastActivityNanos = System.nanoTime(); // time spent waiting for room is not silence
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private End fail(MyelinApiException e) {
        lock.lock();
        try {
            if (state != SubscriptionState.CLOSED) {
                failure = e;
                state = SubscriptionState.CLOSED;
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
        Thread w;
        lock.lock();
        try {
            w = watchdog;
            watchdog = null;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.interrupt();
        }
        onClose.accept(this);
        return End.FATAL;
    }

    /** Moves to {@code next} unless closed; returns whether the loop should go on. */
    private boolean enter(SubscriptionState next) {
        lock.lock();
        try {
            if (state == SubscriptionState.CLOSED) {
                return false;
            }
            state = next;
            lastActivityNanos = System.nanoTime();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private long cursor() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    /** The after_sequence to ask for, or {@code null} (from the very beginning) for a negative start. */
    private Long startCursor() {
        long c = cursor();
        return c < 0 ? null : c;
    }

    private void touch() {
        lock.lock();
        try {
            lastActivityNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    // ---- watchdog ----

    private void watch() {
        long silence = settings.silenceTimeout().toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(silence / 4, TimeUnit.SECONDS.toNanos(1)));
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            Thread cut = null;
            lock.lock();
            try {
                if (state == SubscriptionState.CLOSED) {
                    return;
                }
                boolean waitingForRoom = buffer.size() >= settings.bufferSize();
                if (state == SubscriptionState.STREAMING && !waitingForRoom
                        && System.nanoTime() - lastActivityNanos > silence) {
                    cut = reader;
                    lastActivityNanos = System.nanoTime();
                }
            } finally {
                lock.unlock();
            }
            if (cut != null) {
                cut.interrupt();
            }
        }
    }
}
