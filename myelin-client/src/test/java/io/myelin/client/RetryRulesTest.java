package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry decisions and waits, on their own: which answers are retried and how long the client waits. */
@Timeout(30)
class RetryRulesTest {
    private static HttpHeaders headers(Map<String, String> h) {
        return HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (a, b) -> true);
    }

    @Test
    void backoffGrowsWithDecorrelatedJitterBetweenItsBoundsAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long previous = Duration.ofMillis(100).toNanos();
        for (int i = 0; i < 200; i++) {
            long d = b.next().toNanos();
            assertThat(d).as("delay %d", i).isBetween(Duration.ofMillis(100).toNanos(),
                    Math.min(Duration.ofMillis(1000).toNanos(), previous * 3));
            previous = d;
        }
        b.reset();
        assertThat(b.next().toMillis()).isBetween(100L, 300L);

        Backoff fixed = new Backoff(Duration.ofMillis(50), Duration.ofMillis(50));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(50));
        assertThat(fixed.next()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theDefaultRuleRetriesTimeoutsConflictsRateLimitsAndServerErrorsOnly() {
        for (int status : new int[] {408, 409, 429, 500, 502, 503, 504, 507}) {
            assertThat(RetryAdvice.NONE.retryable(status)).as("%d", status).isTrue();
        }
        for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 422}) {
            assertThat(RetryAdvice.NONE.retryable(status)).as("%d", status).isFalse();
        }
    }

    @Test
    void xShouldRetryOverridesTheDefaultRuleEitherWay() {
        RetryAdvice no = RetryAdvice.of(headers(Map.of("x-should-retry", "false")));
        assertThat(no.retryable(409)).isFalse();
        assertThat(no.retryable(503)).isFalse();
        RetryAdvice yes = RetryAdvice.of(headers(Map.of("X-Should-Retry", "true")));
        assertThat(yes.retryable(400)).isTrue();
        assertThat(RetryAdvice.of(headers(Map.of("x-should-retry", "maybe"))).shouldRetry()).isNull();
    }

    @Test
    void retryAfterIsReadAsMillisecondsSecondsOrADate() {
        assertThat(RetryAdvice.of(headers(Map.of("retry-after-ms", "250"))).retryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(RetryAdvice.of(headers(Map.of("Retry-After", "2"))).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        // Retry-After-Ms is the more precise of the two and wins.
        assertThat(RetryAdvice.of(headers(Map.of("retry-after-ms", "100", "retry-after", "3"))).retryAfter())
                .isEqualTo(Duration.ofMillis(100));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));
        assertThat(RetryAdvice.of(headers(Map.of("retry-after", inAMinute))).retryAfter())
                .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(RetryAdvice.of(headers(Map.of("retry-after", "soon"))).retryAfter()).isNull();
        assertThat(RetryAdvice.of(headers(Map.of("retry-after", "-1"))).retryAfter()).isNull();
        assertThat(RetryAdvice.of(headers(Map.of())).retryAfter()).isNull();
    }
}
