package io.myelin.journal;

import io.myelin.error.MyelinException;

/** Where a journaled step stands: recorded for good ({@link #COMPLETED}, {@link #FAILED}) or still streaming. */
public enum StepStatus {
    /** A cached result: replayed instead of running the step again. */
    COMPLETED("completed"),
    /** A recorded failure: replayed as a failure instead of running the step again. */
    FAILED("failed"),
    /** A streamed step whose chunks are still being appended: not a cached result; the next attempt restarts it. */
    STREAMING("streaming");

    private final String wire;

    StepStatus(String wire) {
        this.wire = wire;
    }

    /** The name on the wire and in storage. */
    public String wire() {
        return wire;
    }

    /** True for a record that stands: never overwritten, never appended to. */
    public boolean sealed() {
        return this != STREAMING;
    }

    /**
     * The status a client may record with {@code PUT}: {@code completed} or {@code failed}.
     *
     * @throws MyelinException 400 naming {@code field} for anything else
     */
    public static StepStatus parseRecordable(String field, String text) {
        if (COMPLETED.wire.equals(text)) {
            return COMPLETED;
        }
        if (FAILED.wire.equals(text)) {
            return FAILED;
        }
        throw MyelinException.invalid(field, field + " must be \"completed\" or \"failed\"; got \"" + text + "\"");
    }

    /** The status stored as {@code text}. */
    public static StepStatus stored(String text) {
        for (StepStatus s : values()) {
            if (s.wire.equals(text)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown stored step status: " + text);
    }
}
