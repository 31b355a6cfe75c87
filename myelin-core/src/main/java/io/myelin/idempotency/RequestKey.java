package io.myelin.idempotency;

import java.util.Objects;

/**
 * A client's retry identity for one write request, and the fingerprint of that request.
 *
 * <p>Over HTTP the identity is the {@code Idempotency-Key} header, or else the {@code x-request-id} that the
 * official Runloop SDKs put on every non-GET request and reuse on their automatic retries. {@code header} is the
 * name the client actually sent, so that a refusal names it.
 *
 * @param value       the key, 1..{@code limits.max-idempotency-key-chars} visible ASCII characters
 * @param header      where it came from, for messages ({@code Idempotency-Key}, {@code X-Request-Id}, or a Java
 *                    caller's own label)
 * @param fingerprint SHA-256 of the request it names
 */
public record RequestKey(String value, String header, Fingerprint fingerprint) {
    public RequestKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
