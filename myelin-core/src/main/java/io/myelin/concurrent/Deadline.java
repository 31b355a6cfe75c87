package io.myelin.concurrent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When a request stops being worth serving: a point in time (on the monotonic clock) and, optionally, a signal that
 * its client has gone away. Work queued behind other work checks it before it starts, so a request whose client
 * gave up (timed out, disconnected) is not carried out later for nobody — and a client's retry is not raced by its
 * own abandoned original.
 *
 * <p>Immutable and thread-safe; {@code abandoned} must be cheap and callable from any thread.
 *
 * @param atNanos   {@link System#nanoTime()} value after which the request is out of time
 * @param abandoned true once the client is known to be gone (an HTTP/2 stream reset, a closed connection)
 */
public record Deadline(long atNanos, BooleanSupplier abandoned) {
    private static final BooleanSupplier NEVER = () -> false;

    /** A deadline {@code budget} from now, for a client that cannot be observed leaving. */
    public static Deadline in(Duration budget) {
        return in(budget, NEVER);
    }

    public static Deadline in(Duration budget, BooleanSupplier abandoned) {
        return new Deadline(System.nanoTime() + budget.toNanos(), abandoned == null ? NEVER : abandoned);
    }

    /** Nanoseconds left; zero or negative once passed. */
    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    public boolean passed() {
        return remainingNanos() <= 0;
    }

    public boolean clientGone() {
        return abandoned.getAsBoolean();
    }

    /** The earlier of this deadline and {@code budget} from now, with the same client signal. */
    public Deadline within(Duration budget) {
        long other = System.nanoTime() + budget.toNanos();
        return other - atNanos < 0 ? new Deadline(other, abandoned) : this;
    }
}
