package io.myelin.broker;

import java.time.Duration;

/** A broker its starter can also wait on: {@code myelin broker} runs until its broker stops. */
public interface RunningBroker extends MountedBroker {
    /**
     * Waits until the broker has stopped: closed, its axon deleted, or another broker took the axon over.
     *
     * @return false when it still runs after {@code max}
     */
    boolean awaitStopped(Duration max) throws InterruptedException;
}
