package io.myelin.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link Subscription} over {@code GET /v1/axons/{id}/subscribe/sse} that reconnects until closed. The
 * connection loop lives here; the shared state and the no-gap/no-duplicate rule live in
 * {@link SubscriptionBuffer}.
 *
 * <p>Threads: one virtual reader thread runs connect → read → back off; one virtual watchdog thread interrupts
 * the reader when an open stream has been silent (not even a heartbeat) for longer than the silence timeout, so a
 * half-open connection is replaced; consumers call {@link #poll}. {@link #close()} interrupts both threads, which
 * wakes the reader wherever it blocks.
 */
final class SseSubscription implements Subscription {
    record Settings(Duration initialDelay, Duration maxDelay, Duration silenceTimeout, Duration headersTimeout,
                    int bufferSize) {
    }

    /** Why one connection ended. */
    private enum End { EOF, IDLE_TIMEOUT, BROKEN, FATAL }

    private static final long HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Transport transport;
    private final String streamPath;
    private final Settings settings;
    private final Consumer<SseSubscription> onClose;
    private final SubscriptionBuffer buffer;
    private final CountDownLatch readerEnded = new CountDownLatch(1);
    private final ReentrantLock threadsLock = new ReentrantLock();
    private Thread reader; // guarded by threadsLock
    private Thread watchdog; // guarded by threadsLock

    SseSubscription(Transport transport, String axonPath, long afterSequence, Settings settings,
                    Consumer<SseSubscription> onClose) {
        this.transport = transport;
        this.streamPath = axonPath + "/subscribe/sse";
        this.settings = settings;
        this.onClose = onClose;
        this.buffer = new SubscriptionBuffer(afterSequence, settings.bufferSize());
    }

    void start() {
        threadsLock.lock();
        try {
            reader = Thread.ofVirtual().name("myelin-sse" + streamPath).start(() -> {
                try {
                    readLoop();
                } finally {
                    readerEnded.countDown();
                }
            });
            watchdog = Thread.ofVirtual().name("myelin-sse-watchdog" + streamPath).start(this::watch);
        } finally {
            threadsLock.unlock();
        }
    }

    // ---- Subscription ----

    @Override
    public Optional<AxonEvent> poll(Duration timeout) throws InterruptedException {
        return buffer.poll(timeout);
    }

    @Override
    public Stream<AxonEvent> stream() {
        Spliterator<AxonEvent> s = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super AxonEvent> action) {
                try {
                    while (true) {
                        Optional<AxonEvent> e = buffer.poll(Duration.ofSeconds(1));
                        if (e.isPresent()) {
                            action.accept(e.get());
                            return true;
                        }
                        if (buffer.finished()) {
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
        return buffer.state();
    }

    @Override
    public long lastSequence() {
        return buffer.delivered();
    }

    @Override
    public void close() {
        buffer.close();
        stopThreads();
        onClose.accept(this);
    }

    private void stopThreads() {
        Thread r;
        Thread w;
        threadsLock.lock();
        try {
            r = reader;
            w = watchdog;
            reader = null;
            watchdog = null;
        } finally {
            threadsLock.unlock();
        }
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
        if (w != null) {
            w.interrupt();
        }
    }

    /**
     * Waits until the reader thread has ended (after {@link #close()} or a fatal error): from then on no connection
     * is opened. {@link #close()} itself does not wait, so that it never blocks a caller; tests use this.
     *
     * @return false if the reader was still running after {@code timeout}
     */
    boolean awaitReaderEnded(Duration timeout) throws InterruptedException {
        return readerEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- reader ----

    private void readLoop() {
        Backoff backoff = new Backoff(settings.initialDelay(), settings.maxDelay());
        while (buffer.enter(SubscriptionState.CONNECTING)) {
            long connectedAt = System.nanoTime();
            long receivedBefore = buffer.received();
            End end;
            Duration asked = null; // how long the server asked to wait, if it did
            try (InputStream in = transport.openStream(streamPath, new Query().add("after_sequence", startCursor()),
                    settings.headersTimeout())) {
                if (!buffer.enter(SubscriptionState.STREAMING)) {
                    return;
                }
                end = pump(in);
            } catch (MyelinApiException e) {
                end = e.advice().retryable(e.status()) ? End.BROKEN : fail(e);
                asked = e.advice().retryAfter();
            } catch (MyelinConnectionException | IOException e) {
                end = End.BROKEN;
            } catch (InterruptedException e) {
                end = End.BROKEN; // closed, or the watchdog cut a silent stream: the loop condition tells which
            }
            Thread.interrupted(); // a watchdog interrupt must not poison the next attempt
            if (end == End.FATAL) {
                return;
            }
            boolean healthy = buffer.received() > receivedBefore || System.nanoTime() - connectedAt > HEALTHY_NANOS;
            if (end == End.IDLE_TIMEOUT || healthy) {
                backoff.reset();
            }
            if (end == End.IDLE_TIMEOUT) {
                continue; // the server's routine idle close: reconnect at once
            }
            if (!buffer.enter(SubscriptionState.BACKING_OFF)) {
                return;
            }
            Duration delay = backoff.next();
            if (asked != null) {
                delay = asked.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : asked;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.interrupted(); // closed (the loop condition sees it) or a stale watchdog interrupt
            }
        }
    }

    private End pump(InputStream in) throws IOException, InterruptedException {
        SseParser parser = new SseParser(in, buffer::touch);
        SseParser.Frame f;
        while ((f = parser.next()) != null) {
            if ("error".equals(f.event())) {
                return serverError(f.data());
            }
            if (f.data().isBlank() || (f.event() != null && !f.event().equals("message"))) {
                continue; // frames of other types are not events of the log
            }
            buffer.offer(Json.read(f.data(), AxonEvent.class));
        }
        return End.EOF;
    }

    /** Reads an {@code event: error} frame: 408 is the routine idle close; codes {@link RetryAdvice} retries reconnect. */
    private End serverError(String data) {
        int code = 0;
        String message = data;
        try {
            WireTypes.StreamError e = Json.read(data, WireTypes.StreamError.class);
            code = e.code();
            message = e.message() == null ? data : e.message();
        } catch (IOException | RuntimeException e) {
            // unreadable error frame: treat as a broken stream
        }
        if (code == 408) {
            return End.IDLE_TIMEOUT;
        }
        if (code == 0 || RetryAdvice.NONE.retryable(code)) {
            return End.BROKEN;
        }
        return fail(MyelinApiException.of(code, "stream_error", message, null));
    }

    private End fail(MyelinApiException e) {
        if (buffer.fail(e)) {
            stopThreads();
            onClose.accept(this);
        }
        return End.FATAL;
    }

    /** The after_sequence to ask for, or {@code null} (from the very beginning) for a negative start. */
    private Long startCursor() {
        long c = buffer.received();
        return c < 0 ? null : c;
    }

    // ---- watchdog ----

    private void watch() {
        long silence = settings.silenceTimeout().toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(silence / 4, TimeUnit.SECONDS.toNanos(1)));
        while (buffer.state() != SubscriptionState.CLOSED) {
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (buffer.silentFor(silence)) {
                Thread r;
                threadsLock.lock();
                try {
                    r = reader;
                } finally {
                    threadsLock.unlock();
                }
                if (r != null) {
                    r.interrupt();
                }
            }
        }
    }
}
