package io.myelin.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A spinner with a short status text, redrawn in place on stderr while a command waits. Printing output goes
 * through {@link #println} and {@link #print} so the spinner is erased first and never mixes into a line; while
 * output has left a line open (running text from {@link #print}) the spinner is not drawn, because its
 * carriage return would wipe that text on the terminal. When disabled (JSON output, or stdout not a terminal) it
 * draws nothing and the print methods just print.
 *
 * <p>Threading: a daemon thread redraws; {@code lock} orders redraws against output lines.
 */
final class StatusLine implements AutoCloseable {
    private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final String CLEAR = "\r\033[K";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean enabled;
    private final Supplier<String> status;
    private final ReentrantLock lock = new ReentrantLock();
    private final long startNanos = System.nanoTime();
    private Thread ticker;
    private Thread eraseOnExit;
    private boolean drawn; // guarded by lock
    private boolean midLine; // guarded by lock: the last output did not end its line

    StatusLine(PrintWriter out, PrintWriter err, boolean enabled, Supplier<String> status) {
        this.out = out;
        this.err = err;
        this.enabled = enabled;
        this.status = status;
    }

    StatusLine start() {
        if (enabled) {
            ticker = Thread.ofPlatform().daemon().name("myelin-status").start(this::tick);
            // Ctrl-C ends the JVM mid-wait: leave the terminal with a clean line, not a half-drawn spinner.
            eraseOnExit = new Thread(() -> {
                err.print(CLEAR);
                err.flush();
            }, "myelin-status-erase");
            Runtime.getRuntime().addShutdownHook(eraseOnExit);
        }
        return this;
    }

    void println(String line) {
        lock.lock();
        try {
            erase();
            out.println(line);
            out.flush();
            midLine = false;
        } finally {
            lock.unlock();
        }
    }

    /** Prints {@code text} as it is, e.g. a piece of running text; a line it leaves open stays open. */
    void print(String text) {
        if (text.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            erase();
            out.print(text);
            out.flush();
            midLine = !text.endsWith("\n");
        } finally {
            lock.unlock();
        }
    }

    /** Ends the line {@link #print} left open, if any. */
    void endLine() {
        lock.lock();
        try {
            if (midLine) {
                println("");
            }
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        int frame = 0;
        while (!Thread.currentThread().isInterrupted()) {
            lock.lock();
            try {
                if (!midLine) {
                    long secs = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
                    err.print(CLEAR + FRAMES.charAt(frame++ % FRAMES.length()) + " " + status.get() + " " + secs + "s");
                    err.flush();
                    drawn = true;
                }
            } finally {
                lock.unlock();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void erase() {
        if (drawn) {
            err.print(CLEAR);
            err.flush();
            drawn = false;
        }
    }

    @Override
    public void close() {
        if (eraseOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(eraseOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it erases
            }
            eraseOnExit = null;
        }
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            erase();
        } finally {
            lock.unlock();
        }
    }
}
