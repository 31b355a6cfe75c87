package io.myelin.broker;

import io.myelin.broker.BrokerLifecycles.AgentEvent;
import io.myelin.broker.BrokerLifecycles.AgentState;
import io.myelin.lifecycle.Lifecycle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's agent process through its lifecycle ({@link BrokerLifecycles#AGENT}): launch, freeze, thaw, stop, and
 * noticing an exit nobody asked for. Each launch is a new <em>generation</em>; output and exits of an older one are
 * ignored. An agent that keeps exiting is restarted after a backoff that doubles with every exit in a row.
 *
 * <p>The main process's exit ends the agent: the rest of its process group is killed then, and the exit is complete
 * once its stdout has ended too (so every line it wrote is handled first), or at the latest {@link #EXIT_DRAIN}
 * later (longer only while its output still waits in the inbox, at most {@link #MAX_DRAINS} times): a process that
 * left the group ({@code setsid}) may hold the pipe open for ever, and is not tracked; the pipes are then
 * abandoned (their reader threads end when that process closes them).
 *
 * <p>Confined to the broker's thread (the pump threads, the exit and the drain timer only post to the inbox).
 */
final class AgentRunner {
    private static final Logger log = LoggerFactory.getLogger(AgentRunner.class);
    /** How long after the main process's exit its stdout may take to end before the exit is complete anyway. */
    static final Duration EXIT_DRAIN = Duration.ofSeconds(1);
    /** How many times the drain is extended while the agent's output still waits in the inbox. */
    static final int MAX_DRAINS = 10;

    /** What the broker hears from its agent. Called on the broker's thread. */
    interface Events {
        /** A process is up (STARTING): restore the conversation, then {@link #restored}. */
        void launched();

        /** It could not be started. */
        void launchFailed(AgentStartException e);

        /** It exited on its own with {@code status}; {@code restoring}: before the relay had restored it. */
        void died(int status, boolean restoring);
    }

    private final AgentLauncher launcher;
    private final BrokerInbox inbox;
    private final BrokerOptions options;
    private final String name;
    private final Events events;
    private final Lifecycle<AgentState, AgentEvent> lifecycle = new Lifecycle<>(BrokerLifecycles.AGENT);
    private AgentProcess process;
    private AgentPipes pipes;
    private int generation;
    private boolean exited;
    private boolean outputEnded;
    private int status;
    private int exitsInARow;
    private long restartAt;

    AgentRunner(AgentLauncher launcher, BrokerInbox inbox, BrokerOptions options, String name, Events events) {
        this.launcher = launcher;
        this.inbox = inbox;
        this.options = options;
        this.name = name;
        this.events = events;
    }

    AgentState state() {
        return lifecycle.state();
    }

    int generation() {
        return generation;
    }

    /** Starts a process (from STOPPED or EXITED). */
    void launch(AgentCommand command) {
        AgentProcess p;
        try {
            p = launcher.launch(command);
        } catch (AgentStartException e) {
            lifecycle.fire(AgentEvent.EXIT);
            backOff();
            events.launchFailed(e);
            return;
        }
        int gen = ++generation;
        exited = false;
        outputEnded = false;
        process = p;
        pipes = new AgentPipes(p, name, options.maxLineBytes(), options.stdinQueue(), new AgentPipes.Sink() {
            @Override
            public void line(String line) throws InterruptedException {
                inbox.output(new BrokerInbox.AgentOut(gen, line, 0, false));
            }

            @Override
            public void overlong(long bytes) throws InterruptedException {
                inbox.output(new BrokerInbox.AgentOut(gen, null, bytes, false));
            }

            @Override
            public void ended() throws InterruptedException {
                inbox.output(new BrokerInbox.AgentOut(gen, null, 0, true));
            }

            @Override
            public void log(String line) {
                inbox.log(new BrokerInbox.AgentLog(gen, line));
            }
        });
        p.exit().thenAccept(code -> inbox.notice(() -> exited(gen, code)));
        log.info("broker on {}: agent started (pid {}): {}", name, p.pid(), command.argv());
        lifecycle.fire(AgentEvent.LAUNCH);
        events.launched();
    }

    /** The conversation is restored: STARTING to READY. */
    void restored() {
        lifecycle.fireIfAllowed(AgentEvent.RESTORED);
    }

    /**
     * Queues a line for the agent's stdin.
     *
     * @return false when there is no agent, or it left its input unread for {@code stdinWait}
     */
    boolean send(String line) throws InterruptedException {
        return pipes != null && pipes.send(line, options.stdinWait());
    }

    /** READY to SUSPENDED: SIGSTOP to the process group. Returns false (and does nothing) in any other state. */
    boolean suspend() {
        if (lifecycle.state() != AgentState.READY) {
            return false;
        }
        process.freeze();
        lifecycle.fire(AgentEvent.SUSPEND);
        return true;
    }

    /** SUSPENDED to READY: SIGCONT. */
    boolean resume() {
        if (lifecycle.state() != AgentState.SUSPENDED) {
            return false;
        }
        process.thaw();
        lifecycle.fire(AgentEvent.RESUME);
        return true;
    }

    /**
     * Stops the process on purpose (STOPPED): closes its stdin, SIGTERM to the group, SIGKILL after {@code grace}.
     * Its exit is not reported as {@link Events#died}. Returns false when nothing was running.
     */
    boolean stop(Duration grace) {
        if (!lifecycle.fireIfAllowed(AgentEvent.SHUT_DOWN)) {
            return false;
        }
        if (process == null) {
            return false;
        }
        pipes.close();
        int code = process.terminate(grace);
        log.info("broker on {}: agent stopped (pid {}, status {})", name, process.pid(), code);
        forget();
        return true;
    }

    /** For good (CLOSED), stopping the process first. */
    void close(Duration grace) {
        stop(grace);
        lifecycle.fireIfAllowed(AgentEvent.CLOSE);
    }

    /**
     * Gives up on an agent that stopped reading its input: kills it and reports it as exited.
     */
    void abandon(String why) {
        abandon(why, Duration.ZERO);
    }

    /**
     * Gives up on an agent that does not do what it was asked (read its input, answer, end a cancelled turn):
     * SIGTERM to its group, SIGKILL after {@code grace} (blocking the caller that long at most), then EXITED, so
     * the next work launches a new process. Nothing it still writes reaches the broker.
     */
    void abandon(String why, Duration grace) {
        if (process == null) {
            return;
        }
        log.warn("broker on {}: {}; killing the agent (pid {})", name, why, process.pid());
        pipes.abandon();
        process.terminate(grace);
        forget();
        lifecycle.fireIfAllowed(AgentEvent.EXIT);
        backOff();
    }

    private void exited(int gen, int code) {
        if (gen != generation || process == null) {
            return;
        }
        exited = true;
        status = code;
        process.kill(); // children that outlived the main process
        if (outputEnded) {
            gone();
        } else {
            drainLater(gen, 1);
        }
    }

    private void drainLater(int gen, int attempt) {
        CompletableFuture.delayedExecutor(EXIT_DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> inbox.notice(() -> drained(gen, attempt)));
    }

    /** {@link #EXIT_DRAIN} after the exit of generation {@code gen}, its stdout has not ended. */
    private void drained(int gen, int attempt) {
        if (gen != generation || process == null || outputEnded) {
            return;
        }
        if (inbox.outputWaiting() && attempt < MAX_DRAINS) {
            drainLater(gen, attempt + 1); // its last lines are still to be handled
            return;
        }
        log.warn("broker on {}: the agent (pid {}) exited but its output is still held open, by a process that left"
                + " its process group (not tracked, not stopped); its pipes are abandoned", name, process.pid());
        gone();
    }

    /** The stdout of generation {@code gen} ended. */
    void outputEnded(int gen) {
        if (gen != generation || process == null) {
            return;
        }
        outputEnded = true;
        if (exited) {
            gone();
        }
    }

    private void gone() {
        int code = status;
        boolean restoring = lifecycle.state() == AgentState.STARTING;
        pipes.abandon();
        forget();
        if (lifecycle.fireIfAllowed(AgentEvent.EXIT)) {
            backOff();
            events.died(code, restoring);
        }
    }

    private void forget() {
        process = null;
        pipes = null;
        generation++; // whatever the old process still sends is ignored
    }

    /** The first exit may restart at once; each further exit in a row waits twice as long as the one before. */
    private void backOff() {
        long wait = exitsInARow == 0 ? 0 : options.restartBackoff().toMillis() << Math.min(20, exitsInARow - 1);
        exitsInARow++;
        restartAt = options.clock().millis() + Math.min(wait, options.maxRestartBackoff().toMillis());
    }

    /** An agent that did its work: the next exit restarts it without waiting. */
    void healthy() {
        exitsInARow = 0;
    }

    /** When an EXITED agent may be launched again (ms since the epoch, the options' clock). */
    long restartAt() {
        return restartAt;
    }

    /** A process was launched and has not been stopped or gone since. */
    boolean running() {
        return process != null;
    }
}
