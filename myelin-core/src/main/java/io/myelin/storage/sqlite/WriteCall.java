package io.myelin.storage.sqlite;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.QueuedWrite;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WriteOp} whose submitter waits for the outcome: {@link #run} queues the op and parks the calling thread
 * (cheap on a virtual thread) until the group holding it has committed or failed. Subclasses set the value with
 * {@link #result} inside {@code apply} and publish in-memory effects in {@link #onCommitted}.
 *
 * <p>The wait has a deadline ({@code storage.write-timeout}): past it the caller gets 503 saying that the write may
 * or may not be applied and that a retry with the same {@code Idempotency-Key} is safe — rather than waiting
 * forever behind a stuck disk. The op itself is still answered by the writer when it gets to it.
 */
public abstract class WriteCall<T> implements WriteOp {
    private final CountDownLatch done = new CountDownLatch(1);
    private T value;
    private volatile RuntimeException failure;

    /** Submits {@code call} and returns its value once durable, or throws what failed it. */
    public static <T> T run(GroupCommitWriter writer, WriteCall<T> call) {
        return queue(writer, call).await();
    }

    /**
     * Submits {@code call} and returns once it is queued, behind every op queued before and ahead of every op
     * queued after; {@link QueuedWrite#await} then waits for its value as {@link #run} does.
     */
    public static <T> QueuedWrite<T> queue(GroupCommitWriter writer, WriteCall<T> call) {
        writer.submit(call);
        return () -> call.await(writer);
    }

    private T await(GroupCommitWriter writer) {
        Duration timeout = writer.answerTimeout();
        try {
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MyelinException(ErrorKind.UNAVAILABLE, null, "no answer from the storage writer within "
                        + timeout.toMillis() + " ms (storage.write-timeout; " + writer.queued() + " writes queued):"
                        + " the write may or may not be applied; retrying with the same Idempotency-Key is safe")
                        .retry(true, Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null,
                    "interrupted while waiting for a write; it may still be committed");
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    protected final void result(T value) {
        this.value = value;
    }

    /** Runs on the writer thread after commit, before the submitter is released. */
    protected void onCommitted() {}

    @Override
    public final void committed() {
        try {
            onCommitted();
        } finally {
            done.countDown();
        }
    }

    @Override
    public final void failed(RuntimeException cause) {
        this.failure = cause;
        done.countDown();
    }
}
