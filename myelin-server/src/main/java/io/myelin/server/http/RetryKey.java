package io.myelin.server.http;

/**
 * The key that makes a retried write safe, and the header it came in: {@code Idempotency-Key}, or else the
 * {@code X-Request-Id} that the official Runloop SDKs attach to every POST and reuse on their automatic retries.
 * Read by {@link Exchange#retryKey()}, which refuses a value that is not 1..limit visible ASCII characters with a
 * 400 naming the header that was sent.
 */
public record RetryKey(String header, String value) {}
