package io.myelin.text;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one parser of human durations, for configuration and the command line: a number with a unit — {@code us},
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} — or a bare number of seconds (decimals allowed:
 * {@code 1.5s}, {@code 0.25}), or ISO-8601 ({@code PT5M}). Strict: anything else, a negative or zero duration, or a
 * fraction finer than a microsecond is refused with a message that says what is accepted.
 */
public final class Durations {
    private Durations() {}

    /**
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw refused(text);
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                int unitAt = t.length();
                while (unitAt > 0 && Character.isLetter(t.charAt(unitAt - 1))) {
                    unitAt--;
                }
                String number = t.substring(0, unitAt).strip();
                if (!number.matches("[0-9]{1,18}(\\.[0-9]{1,9})?")) {
                    throw refused(text);
                }
                BigDecimal amount = new BigDecimal(number);
                long nanosPerUnit = switch (t.substring(unitAt)) {
                    case "us" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s", "" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    case "h" -> 3_600_000_000_000L;
                    case "d" -> 86_400_000_000_000L;
                    default -> throw refused(text);
                };
                BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
                if (nanos.remainder(BigDecimal.valueOf(1_000)).signum() != 0) {
                    throw new IllegalArgumentException("'" + text + "' is finer than a microsecond");
                }
                d = Duration.ofNanos(nanos.longValueExact());
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw refused(text);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a duration must be positive, got '" + text + "'");
        }
        return d;
    }

    /**
     * The shortest text {@link #parse} reads back as {@code d}: the largest unit up to hours that divides it ({@code 24h},
     * {@code 30s}, {@code 250ms}), else microseconds. Sub-microsecond parts are dropped, as {@link #parse} refuses them.
     */
    public static String format(Duration d) {
        long micros = d.toNanos() / 1_000;
        long[] perUnit = {3_600_000_000L, 60_000_000L, 1_000_000L, 1_000L};
        String[] unit = {"h", "m", "s", "ms"};
        for (int i = 0; i < unit.length; i++) {
            if (micros % perUnit[i] == 0) {
                return (micros / perUnit[i]) + unit[i];
            }
        }
        return micros + "us";
    }

    private static IllegalArgumentException refused(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use a number with a unit (250us,"
                + " 500ms, 1.5s, 5m, 24h, 2d), a number of seconds, or ISO-8601 (PT5M)");
    }
}
