package io.myelin.client;

import java.time.Duration;

/**
 * A failed attempt of a call that the client is about to send again: what the listener set with
 * {@link MyelinClient.Builder#retryListener} receives, on the calling thread, just before the client waits
 * {@code delay}. Useful for logs and progress lines ("server unreachable, retrying…").
 *
 * @param method  the HTTP method, e.g. {@code POST}
 * @param path    the request path and query, e.g. {@code /v1/axons/axn_1/publish}
 * @param retry   the number of the retry about to happen: 1 for the first
 * @param delay   how long the client waits before it
 * @param failure why the attempt failed: a {@link MyelinConnectionException} (refused, reset, timed out) or a
 *                {@link MyelinApiException} with a status worth retrying (408, 409, 429, 5xx, or any status the
 *                server marked {@code x-should-retry: true})
 */
public record RetryAttempt(String method, String path, int retry, Duration delay, MyelinException failure) {
}
