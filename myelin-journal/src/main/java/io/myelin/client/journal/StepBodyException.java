package io.myelin.client.journal;

/** A step's body threw a checked exception (its cause); nothing was recorded, so the step runs again next time. */
public final class StepBodyException extends RuntimeException {
    public StepBodyException(String step, Exception cause) {
        super("step " + step + " failed: " + cause, cause);
    }
}
