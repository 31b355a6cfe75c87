package io.myelin.client.journal;

/** The step's record is a failure: replayed as one instead of running the step again. */
public final class StepFailedException extends JournalException {
    private final String step;
    private final String errorJson;

    public StepFailedException(String step, String errorJson) {
        super("step " + step + " is recorded as failed: " + errorJson);
        this.step = step;
        this.errorJson = errorJson;
    }

    /** The step's name. */
    public String step() {
        return step;
    }

    /** The recorded failure, as JSON text. */
    public String errorJson() {
        return errorJson;
    }
}
