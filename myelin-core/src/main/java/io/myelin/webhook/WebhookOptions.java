package io.myelin.webhook;

import java.time.Duration;
import java.util.List;

/**
 * How webhooks are delivered ({@code webhooks.*} settings).
 *
 * @param retrySchedule         the delay before each attempt: the first entry after the event committed (usually 0),
 *                              each next one after the previous attempt failed; a delivery whose last attempt failed is
 *                              dead. Each delay gets ±10% jitter. Between 1 and {@link #MAX_ATTEMPTS} entries
 * @param attemptTimeout        the most one attempt may take, from resolving the target to the answer's status line
 * @param allowPrivateTargets   whether targets may resolve to loopback, private, link-local, unique-local, CGNAT,
 *                              multicast or unspecified addresses (refused by default: SSRF)
 * @param maxConcurrentAttempts attempts in flight at once across all webhooks (one per webhook at most)
 * @param maxWebhooks           webhooks that may exist at once
 */
public record WebhookOptions(List<Duration> retrySchedule, Duration attemptTimeout, boolean allowPrivateTargets,
                             int maxConcurrentAttempts, int maxWebhooks) {
    /** Longest target URL, in characters. */
    public static final int MAX_URL_CHARS = 2048;
    /** Most event type patterns one webhook may list. */
    public static final int MAX_EVENT_TYPES = 64;
    /** Most entries of the retry schedule. */
    public static final int MAX_ATTEMPTS = 100;

    /** The Standard Webhooks schedule: 8 attempts over about 27.5 hours. */
    public static final WebhookOptions DEFAULTS = new WebhookOptions(List.of(Duration.ZERO, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10)), Duration.ofSeconds(15), false, 32, 1000);

    public WebhookOptions {
        retrySchedule = List.copyOf(retrySchedule);
        if (retrySchedule.isEmpty() || retrySchedule.size() > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("the retry schedule must have 1 to " + MAX_ATTEMPTS + " entries, got "
                    + retrySchedule.size());
        }
        for (Duration d : retrySchedule) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative, got " + d);
            }
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("the attempt timeout must be positive, got " + attemptTimeout);
        }
        if (maxConcurrentAttempts < 1 || maxWebhooks < 1) {
            throw new IllegalArgumentException("max concurrent attempts and max webhooks must be at least 1");
        }
    }
}
