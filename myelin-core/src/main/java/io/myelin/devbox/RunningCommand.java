package io.myelin.devbox;

import java.time.Duration;
import java.util.OptionalInt;

/** A command started by a {@link DevboxHost}. Thread-safe: one thread waits while another may kill it. */
public interface RunningCommand {

    /**
     * Waits at most {@code timeout} for the command to end, then (briefly) for its output still in the pipe to be
     * read.
     *
     * @return its exit status, or empty when it is still running
     * @throws InterruptedException when the waiting thread is interrupted
     */
    OptionalInt await(Duration timeout) throws InterruptedException;

    /** Kills the command and every process it started that is still its descendant (SIGKILL). Idempotent. */
    void kill();
}
