package io.myelin.testkit;

import io.myelin.text.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Waits on conditions, latches and futures, each with a deadline, failing with an {@link AssertionError} that says
 * what was awaited and what was seen last. Tests synchronise with these (or with Awaitility), never by sleeping:
 * a deadline is generous because it only bounds a failure, it is not an expectation of speed.
 *
 * <p>Polling starts at 1 ms between probes and backs off to 50 ms, so a condition that holds soon is seen soon and
 * a long wait does not spin. An interrupt while waiting ends the wait with an {@code AssertionError} and keeps the
 * thread's interrupt flag set.
 */
public final class Await {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Await() {
    }

    /**
     * Polls {@code probe} until {@code done} accepts its value, and returns that value. A probe that throws counts
     * as "not yet" (a server that is not listening yet refuses connections); the last exception is the cause of
     * the failure.
     *
     * @param what   what is awaited, for the failure message ("the server is ready")
     * @param atMost the deadline
     * @throws AssertionError when the deadline passes first, naming {@code what}, the last value and the last
     *                        exception
     */
    public static <T> T until(String what, Duration atMost, Callable<? extends T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + atMost.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        T last = null;
        Throwable lastFailure = null;
        while (true) {
            try {
                last = probe.call();
                lastFailure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            } catch (Exception | AssertionError e) {
                lastFailure = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + Durations.format(atMost) + ": " + what + "; last seen: "
                        + (lastFailure != null ? lastFailure : last), lastFailure);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /** Polls {@code condition} until it is true; see {@link #until(String, Duration, Callable, Predicate)}. */
    public static void until(String what, Duration atMost, Callable<Boolean> condition) {
        until(what, atMost, condition, Boolean.TRUE::equals);
    }

    /** Waits until {@code latch} is released; the failure names {@code what} and the count still missing. */
    public static void latch(String what, Duration atMost, CountDownLatch latch) {
        try {
            if (!latch.await(atMost.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("not within " + Durations.format(atMost) + ": " + what + "; still waiting for "
                        + latch.getCount() + " count-down(s)");
            }
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        }
    }

    /**
     * The result of {@code future} once it completes. A future that failed rethrows its cause as is when it is
     * unchecked (so an assertion inside the task fails the test with its own message), wrapped otherwise.
     */
    public static <T> T result(String what, Duration atMost, Future<T> future) {
        try {
            return future.get(atMost.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + Durations.format(atMost) + ": " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        }
    }

    private static AssertionError interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new AssertionError("interrupted while waiting: " + what, e);
    }
}
