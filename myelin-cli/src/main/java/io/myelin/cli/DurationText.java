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

    /** The value of {@code option} ({@code text}), or {@code absent} when it was not given. */
    static Duration parse(String option, String text, Duration absent) {
        if (text == null) {
            return absent;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failures.UsageProblem(option + ": " + e.getMessage());
        }
    }
}
