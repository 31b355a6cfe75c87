package io.myelin.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Parses human durations: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 2h}, a bare number of seconds, or ISO-8601. */
final class DurationText {
    private DurationText() {
    }

    static Duration parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
            }
            if (d.isNegative() || d.isZero()) {
                throw new Failures.UsageProblem("duration must be positive: " + text);
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Failures.UsageProblem("not a duration: " + text + " (try 30s, 5m, 1h)");
        }
    }
}
