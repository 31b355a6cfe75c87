package io.myelin.server.http;

import java.time.Duration;

/**
 * What one client may hold of the server's connections, and for how long a connection may stay silent.
 *
 * @param maxConnections most connections open at once, HTTP/1.1 and HTTP/2 ({@code http.max-connections}); one more
 *                       is not accepted until another closes (it waits in the kernel's accept queue)
 * @param headerTimeout  how long a connection may go without a request in progress before it is closed without an
 *                       answer ({@code http.header-timeout}): a new connection until its first request head is
 *                       complete, a kept-alive one between requests, an HTTP/2 one carrying no stream (PINGs and
 *                       other frames notwithstanding); also the longest an HTTP/1.1 request head may take from its
 *                       first byte ({@link HeaderTimeout})
 * @param idleTimeout    how long a connection with a request in progress may send and receive nothing
 *                       ({@code http.idle-timeout}): a client that stops reading its answer is cut off after it
 */
public record ConnectionLimits(int maxConnections, Duration headerTimeout, Duration idleTimeout) {
    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (headerTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms: " + headerTimeout + ", " + idleTimeout);
        }
    }
}
