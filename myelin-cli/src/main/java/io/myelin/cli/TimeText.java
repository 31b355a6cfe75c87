package io.myelin.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/** Points in time on the command line: how they are printed, and how options name one. */
final class TimeText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private TimeText() {
    }

    /** {@code epochMs} in the local time zone, to the second ({@code 2025-01-31 09:00:00}). */
    static String format(long epochMs) {
        return TIME.format(Instant.ofEpochMilli(epochMs));
    }

    /** {@link #format}, or an empty cell for {@code null}. */
    static String format(Long epochMs) {
        return epochMs == null ? "" : format(epochMs.longValue());
    }

    /**
     * A point in time as an option names it: either a delay from now ({@code in}) or an instant ({@code at}), the
     * other {@code null}. A delay stays a delay so the server can count it from when it acts on the request, which
     * makes a repeat of the same command the same request.
     */
    record When(Instant at, Duration in) {
        /** Hands {@code when} to {@code atInstant} or {@code afterDelay}, whichever form it has; nothing for null. */
        static void apply(When when, Consumer<Instant> atInstant, Consumer<Duration> afterDelay) {
            if (when == null) {
                return;
            }
            if (when.at() != null) {
                atInstant.accept(when.at());
            } else {
                afterDelay.accept(when.in());
            }
        }
    }

    /**
     * The point in time an option names: a duration from now ({@code 10m}, {@code 1h}; see {@link DurationText}) or
     * an ISO-8601 instant ({@code 2025-01-31T09:00:00Z}); {@code null} when the option was not given.
     */
    static When when(String option, String text) {
        if (text == null) {
            return null;
        }
        if (text.contains("T") && !text.startsWith("P") && !text.startsWith("p")) {
            try {
                return new When(Instant.parse(text.strip()), null);
            } catch (DateTimeParseException e) {
                throw new Failures.UsageProblem(option + ": '" + text + "' is neither a duration (10m) nor an instant"
                        + " (2025-01-31T09:00:00Z)");
            }
        }
        return new When(null, DurationText.parse(option, text, null));
    }
}
