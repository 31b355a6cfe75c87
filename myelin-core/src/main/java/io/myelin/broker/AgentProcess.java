package io.myelin.broker;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One running agent, as a launcher started it. The broker talks to it through its three streams (see
 * {@link AgentPipes}) and controls it through this interface.
 *
 * <p>Threading: thread-safe. The streams are each used by one thread.
 */
public interface AgentProcess {
    /** An identifier for logs (the process id of a local agent). */
    long pid();

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Completes with the exit status once the agent's main process has exited (128 + n for signal n). */
    CompletableFuture<Integer> exit();

    /**
     * Freezes the agent and everything it started (SIGSTOP to its process group): no CPU, memory kept. Returns once
     * they are stopped, as far as the launcher can tell within a short bound (about a second), so that a suspend
     * announced afterwards is true.
     */
    void freeze();

    /** Thaws what {@link #freeze} froze (SIGCONT). */
    void thaw();

    /**
     * Stops the agent: SIGTERM to its process group (thawed first, so that it can act on it), then SIGKILL to the
     * group once {@code grace} has passed or the main process has exited, so that no child outlives it. Blocks until
     * the main process has exited, at most {@code grace} plus a few seconds.
     *
     * @return the exit status, or -1 when even SIGKILL did not end it in time
     */
    int terminate(Duration grace);

    /** SIGKILL to the process group at once (what {@link #terminate} ends with); does not wait. */
    void kill();
}
