package io.myelin.cli;

import io.myelin.text.Durations;
import java.time.Duration;

/** Command-line durations: {@link Durations}, with a usage error instead of an exception. */
final class DurationText {
    private DurationText() {
    }

    static Duration parse(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failures.UsageProblem(e.getMessage());
        }
    }
}
