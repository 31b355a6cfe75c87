package io.myelin.broker;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} as its supervisor holds it: owns the broker's thread ({@code broker-<axon>}, virtual) and turns
 * every call into a command that runs on that thread, waiting for it at most the given deadline. Thread-safe.
 */
final class BrokerHandle implements RunningBroker {
    private static final Logger log = LoggerFactory.getLogger(BrokerHandle.class);

    private final Broker broker;
    private final Thread thread;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    BrokerHandle(Broker broker) {
        this.broker = broker;
        this.thread = Thread.ofVirtual().name("broker-" + broker.name()).unstarted(this::run);
    }

    private void run() {
        String name = broker.name();
        try {
            broker.run();
        } catch (BrokerProgress.Superseded e) {
            log.warn("broker on {} stops: {}", name, e.getMessage());
            broker.listener().stopped(e.getMessage());
        } catch (BrokerPublisher.Closing e) {
            log.debug("broker on {} closing", name);
        } catch (MyelinException e) {
            CompletableFuture<Void> launched = broker.firstLaunch();
            if (e.kind() == ErrorKind.NOT_FOUND) {
                log.info("broker on {} stops: the axon is gone", name);
                if (launched.isDone() && !launched.isCompletedExceptionally()) {
                    broker.listener().stopped("the axon " + name + " was deleted");
                }
            } else {
                log.error("broker on {} stopped: {}", name, e.getMessage(), e);
            }
            launched.completeExceptionally(e);
        } catch (InterruptedException e) {
            log.debug("broker on {} interrupted", name);
        } catch (RuntimeException e) {
            log.error("broker on {} stopped", name, e);
            broker.firstLaunch().completeExceptionally(e);
        } finally {
            broker.teardown();
        }
    }

    /**
     * Starts the broker's thread and waits (at most {@code startTimeout}) for the agent's first launch.
     *
     * @throws AgentStartException when the agent could not be started (the broker is then closed)
     */
    BrokerHandle start() {
        thread.start();
        Duration timeout = broker.options().startTimeout();
        try {
            broker.firstLaunch().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            log.warn("broker on {}: the agent is not launched after {} ms; going on", broker.name(), timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the broker of " + broker.name());
        }
        return this;
    }

    @Override
    public void suspend(Duration deadline) {
        call(broker::suspendAgent, deadline);
    }

    @Override
    public void shutdown(Duration deadline) {
        call(() -> broker.shutdownAgent(deadline), deadline.plus(broker.options().startTimeout()));
    }

    @Override
    public void resume() {
        call(broker::resumeAgent, broker.options().startTimeout());
    }

    @Override
    public boolean idle() {
        return broker.idle();
    }

    @Override
    public void close() {
        Duration patience = broker.options().stopGrace().plusSeconds(10);
        if (!closeRequested.compareAndSet(false, true)) {
            awaitDone(patience);
            return;
        }
        if (Thread.currentThread() == thread) {
            broker.closeNow(); // from a listener callback: the loop ends after it returns
            return;
        }
        broker.inbox().notice(broker::closeNow); // false: the loop ended on its own
        if (!awaitDone(patience)) {
            log.warn("broker on {} did not stop in time; interrupting it", broker.name());
            broker.abort();
            thread.interrupt();
            awaitDone(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean awaitStopped(Duration max) throws InterruptedException {
        return broker.awaitDone(max);
    }

    private boolean awaitDone(Duration d) {
        try {
            return broker.awaitDone(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code action} on the broker's thread and waits for it at most {@code deadline}. */
    private void call(Runnable action, Duration deadline) {
        if (Thread.currentThread() == thread) {
            action.run();
            return;
        }
        CompletableFuture<Void> ran = new CompletableFuture<>();
        boolean queued = broker.inbox().control(() -> {
            try {
                action.run();
            } finally {
                ran.complete(null);
            }
        });
        if (!queued) {
            return; // a closed broker has nothing to suspend, stop or resume
        }
        try {
            ran.get(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("broker on {}: a command did not finish within {} ms; it still runs", broker.name(), deadline.toMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
