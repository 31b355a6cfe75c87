package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link WriteOp} whose submitter waits for the outcome: {@link #run} queues the op and parks the calling thread
 * (cheap on a virtual thread) until the group holding it has committed or failed. Subclasses set the value with
 * {@link #result} inside {@code apply} and publish in-memory effects in {@link #onCommitted}.
 */
public abstract class WriteCall<T> implements WriteOp {
    private final CountDownLatch done = new CountDownLatch(1);
    private T value;
    private RuntimeException failure;

    /** Submits {@code call} and returns its value once durable, or throws what failed it. */
    public static <T> T run(GroupCommitWriter writer, WriteCall<T> call) {
        writer.submit(call);
        try {
            call.done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null,
                    "interrupted while waiting for a write; it may still be committed");
        }
        if (call.failure != null) {
            throw call.failure;
        }
        return call.value;
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
