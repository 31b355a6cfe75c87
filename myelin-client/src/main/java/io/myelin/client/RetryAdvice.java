package io.myelin.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What an error answer says about sending the same request again, and the rule that decides it: the server's
 * {@code x-should-retry} ({@code true}/{@code false}) wins; otherwise 408, 409 (the original of a retried write is
 * still running), 429 and every 5xx are worth retrying and every other status is not. The same rule as the
 * official Runloop SDKs. Request retries and subscription reconnects share it.
 *
 * @param shouldRetry the server's {@code x-should-retry}, or {@code null} when it gave none
 * @param retryAfter  how long the server asked to wait ({@code Retry-After-Ms}, else {@code Retry-After} in seconds
 *                    or as an HTTP date), or {@code null}
 */
record RetryAdvice(Boolean shouldRetry, Duration retryAfter) {
    static final RetryAdvice NONE = new RetryAdvice(null, null);

    /** Reads the advice headers of an answer; malformed values count as absent. */
    static RetryAdvice of(HttpHeaders headers) {
        Boolean should = headers.firstValue("x-should-retry").map(v -> switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        }).orElse(null);
        Duration after = headers.firstValue("retry-after-ms").flatMap(RetryAdvice::millis)
                .or(() -> headers.firstValue("retry-after").flatMap(RetryAdvice::secondsOrDate))
                .orElse(null);
        return new RetryAdvice(should, after);
    }

    /** Whether an answer with {@code status} (≥ 400) and this advice is worth sending again. */
    boolean retryable(int status) {
        if (shouldRetry != null) {
            return shouldRetry;
        }
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    private static Optional<Duration> millis(String v) {
        try {
            double ms = Double.parseDouble(v.strip());
            return ms >= 0 && ms < Long.MAX_VALUE / 1_000_000 ? Optional.of(Duration.ofNanos((long) (ms * 1_000_000)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> secondsOrDate(String v) {
        String s = v.strip();
        try {
            double seconds = Double.parseDouble(s);
            return seconds >= 0 && seconds < Long.MAX_VALUE / 1_000_000_000L
                    ? Optional.of(Duration.ofNanos((long) (seconds * 1_000_000_000L))) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
