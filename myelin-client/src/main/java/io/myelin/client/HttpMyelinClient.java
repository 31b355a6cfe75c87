package io.myelin.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link MyelinClient} implementation. Keeps track of open subscriptions so that {@link #close()} can end
 * their background threads; everything else is immutable.
 */
final class HttpMyelinClient implements MyelinClient {
    private final Transport transport;
    private final Axons axons;
    private final Devboxes devboxes;
    private final Intents intents;
    private final SseSubscription.Settings sseSettings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<SseSubscription> open = new LinkedHashSet<>(); // guarded by lock
    private boolean closed; // guarded by lock

    HttpMyelinClient(MyelinClient.Builder b) {
        this.transport = new Transport(b);
        this.axons = new HttpAxons(transport);
        this.devboxes = new HttpDevboxes(transport);
        this.intents = new HttpIntents(transport, b.requestTimeout);
        this.sseSettings = new SseSubscription.Settings(b.reconnectInitialDelay, b.reconnectMaxDelay,
                b.streamSilenceTimeout, b.requestTimeout, b.subscriptionBuffer);
    }

    @Override
    public Axons axons() {
        return axons;
    }

    @Override
    public Devboxes devboxes() {
        return devboxes;
    }

    @Override
    public Intents intents() {
        return intents;
    }

    @Override
    public AxonHandle axon(String axonId) {
        if (axonId == null || axonId.isBlank()) {
            throw new IllegalArgumentException("axonId is required");
        }
        return new HttpAxonHandle(this, transport, axonId);
    }

    @Override
    public URI baseUrl() {
        return transport.base();
    }

    Subscription openSubscription(String axonPath, long afterSequence) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("client is closed");
            }
            SseSubscription s = new SseSubscription(transport, axonPath, afterSequence, sseSettings, this::forget);
            open.add(s);
            s.start();
            return s;
        } finally {
            lock.unlock();
        }
    }

    private void forget(SseSubscription s) {
        lock.lock();
        try {
            open.remove(s);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<SseSubscription> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(open);
        } finally {
            lock.unlock();
        }
        // Outside the lock: closing a subscription calls back into forget().
        toClose.forEach(SseSubscription::close);
        transport.close();
    }
}
