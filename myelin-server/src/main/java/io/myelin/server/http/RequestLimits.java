package io.myelin.server.http;

import java.time.Duration;

/**
 * What one request may send before its route sees it.
 *
 * @param maxBodyBytes      largest body ({@code limits.max-body-bytes}); beyond it 413
 * @param maxRetryKeyChars  longest {@code Idempotency-Key} / {@code X-Request-Id} ({@code limits.max-idempotency-key-chars})
 * @param bodyTimeout       longest wait for the next bytes of a body ({@code http.body-timeout}); beyond it 408
 */
public record RequestLimits(long maxBodyBytes, int maxRetryKeyChars, Duration bodyTimeout) {}
