package io.myelin.devbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one devbox's shell commands (blueprint setup, launch, suspend) one at a time through its {@link DevboxHost},
 * each bounded in time, and logs their output: INFO lines on this class's logger naming the devbox and the command,
 * at most {@value #MAX_LOGGED_LINES} lines per command (the rest are counted, not logged). The last lines are kept
 * to say why a command failed.
 *
 * <p>Threading: one thread runs commands; {@link #cancel} may be called from any other to kill the command running
 * and refuse further ones (the devbox is shutting down, or the server is stopping).
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    static final int MAX_LOGGED_LINES = 1000;
    private static final int TAIL_LINES = 5;
    private static final int TAIL_LINE_CHARS = 300;

    /**
     * How one command ended.
     *
     * @param what       which list it belongs to ({@code launch command}, {@code setup command}, ...)
     * @param index      its place in the list, from 1
     * @param exitStatus its exit status, or null when it was killed
     * @param timedOut   killed because its time was up
     * @param lastLines  the last lines of its output, for a failure message
     */
    record Outcome(String what, int index, Integer exitStatus, boolean timedOut, String lastLines) {
        boolean ok() {
            return exitStatus != null && exitStatus == 0;
        }

        /** One line for logs and failure reasons: which command, what happened, its last output. */
        String describe() {
            String how = exitStatus != null ? "exited with status " + exitStatus
                    : timedOut ? "ran out of time and was killed" : "was killed: the devbox is stopping";
            return what + " " + index + " " + how + (lastLines.isEmpty() ? "" : "; last output: " + lastLines);
        }
    }

    private final DevboxHost host;
    private final String devboxId;
    private RunningCommand current;
    private boolean cancelled;

    CommandRunner(DevboxHost host, String devboxId) {
        this.host = host;
        this.devboxId = devboxId;
    }

    /**
     * Runs {@code commands} in order, each within {@code eachTimeout}, and stops at the first one that does not exit
     * with 0.
     *
     * @return that command's outcome, or null when every command succeeded
     */
    Outcome runAll(String what, List<String> commands, Workspace workspace, Map<String, String> environment,
                   Duration eachTimeout) {
        for (int i = 0; i < commands.size(); i++) {
            Outcome o = run(what, i + 1, commands.get(i), workspace, environment, eachTimeout);
            if (!o.ok()) {
                return o;
            }
        }
        return null;
    }

    /**
     * Runs {@code commands} in order within one {@code budget}: a failing command is logged and the next one runs;
     * once the budget is spent, the command running is killed and the rest are skipped (logged).
     */
    void runWithin(String what, List<String> commands, Workspace workspace, Map<String, String> environment,
                   Duration budget) {
        // Real elapsed time, not the engine's clock: it bounds processes, which run in real time.
        long end = System.nanoTime() + budget.toNanos();
        for (int i = 0; i < commands.size(); i++) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                log.warn("devbox {}: {} budget of {} ms spent; {} {} and later ones skipped", devboxId, what + "s",
                        budget.toMillis(), what, i + 1);
                return;
            }
            Outcome o = run(what, i + 1, commands.get(i), workspace, environment, Duration.ofNanos(left));
            if (!o.ok()) {
                log.warn("devbox {}: {} (going on: {} failures do not stop it)", devboxId, o.describe(), what);
            }
            if (o.exitStatus() == null && !o.timedOut()) {
                return; // cancelled
            }
        }
    }

    /** Runs one command; a cancelled runner kills it at once (or never starts it). */
    Outcome run(String what, int index, String command, Workspace workspace, Map<String, String> environment,
                Duration timeout) {
        Tail tail = new Tail();
        AtomicLong lines = new AtomicLong();
        RunningCommand running;
        synchronized (this) {
            if (cancelled) {
                return new Outcome(what, index, null, false, "");
            }
            running = host.start(workspace, command, environment, line -> {
                if (lines.incrementAndGet() <= MAX_LOGGED_LINES) {
                    log.info("devbox {} {} {}: {}", devboxId, what, index, line);
                }
                tail.add(line);
            });
            current = running;
        }
        try {
            OptionalInt status = running.await(timeout);
            if (status.isEmpty()) {
                running.kill();
                boolean wasCancelled = isCancelled();
                return new Outcome(what, index, null, !wasCancelled, tail.text());
            }
            boolean wasCancelled = isCancelled();
            return new Outcome(what, index, wasCancelled && status.getAsInt() != 0 ? null : status.getAsInt(), false,
                    tail.text());
        } catch (InterruptedException e) {
            running.kill();
            Thread.currentThread().interrupt();
            return new Outcome(what, index, null, false, tail.text());
        } finally {
            synchronized (this) {
                current = null;
            }
            if (lines.get() > MAX_LOGGED_LINES) {
                log.info("devbox {} {} {}: {} more lines not logged", devboxId, what, index, lines.get() - MAX_LOGGED_LINES);
            }
        }
    }

    /** Kills the command running, if any, and makes every later {@link #run} a no-op. Idempotent. */
    void cancel() {
        RunningCommand c;
        synchronized (this) {
            cancelled = true;
            c = current;
        }
        if (c != null) {
            c.kill();
        }
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The last few lines of output, each cut short; written by the output thread, read by the runner. */
    private static final class Tail {
        private final Deque<String> lines = new ArrayDeque<>();

        synchronized void add(String line) {
            lines.addLast(line.length() > TAIL_LINE_CHARS ? line.substring(0, TAIL_LINE_CHARS) + "..." : line);
            if (lines.size() > TAIL_LINES) {
                lines.removeFirst();
            }
        }

        synchronized String text() {
            return String.join(" | ", lines);
        }
    }
}
