package io.myelin.idempotency;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A client's retry identity for one write request, and the fingerprint of that request.
 *
 * <p>Over HTTP the identity is the {@code Idempotency-Key} header, or else the {@code x-request-id} that the
 * official Runloop SDKs put on every non-GET request and reuse on their automatic retries. {@code header} is the
 * name the client actually sent, so that a refusal names it. The refusals every store and the engine give for a key
 * are made here, so they read the same wherever they come from.
 *
 * @param value       the key, 1..{@code limits.max-idempotency-key-chars} visible ASCII characters
 * @param header      where it came from, for messages ({@code Idempotency-Key}, {@code X-Request-Id}, or a Java
 *                    caller's own label)
 * @param fingerprint SHA-256 of the request it names. As the HTTP layer builds it, it covers the method, path and
 *                    body; the engine adds the caller with {@link #sentBy} before anything is stored or compared
 */
public record RequestKey(String value, String header, Fingerprint fingerprint) {
    public RequestKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /**
     * {@code key} as {@code caller} sent it: the same key value with a fingerprint that also covers the caller's key
     * id and acting user, so the same key sent by another key, or for another user, is a different request (422)
     * and never gets another caller's answer. The one place where the caller enters a fingerprint: the engine calls
     * it on every keyed write ({@code Axons}, {@code EventLog}, {@link Idempotency#once}).
     *
     * @return null when {@code key} is null (an unkeyed write)
     */
    public static RequestKey sentBy(Caller caller, RequestKey key) {
        Objects.requireNonNull(caller, "caller");
        if (key == null) {
            return null;
        }
        Fingerprint bound = Fingerprint.builder()
                .add(caller.keyId())
                .add(caller.actingUser())
                .add(key.fingerprint().raw())
                .build();
        return new RequestKey(key.value(), key.header(), bound);
    }

    /** 422: the key was first used for a different request. Not worth retrying. */
    public MyelinException reused() {
        return new MyelinException(ErrorKind.UNPROCESSABLE, header, header + " '" + value
                + "' was already used for a different request; a retry must repeat the request exactly. Send a new "
                + header + " for a new request").retry(false, null);
    }

    /** 409: the original request still runs; a retry after a second gets its answer. */
    public MyelinException stillRunning() {
        return new MyelinException(ErrorKind.CONFLICT, header, "the request with " + header + " '" + value
                + "' is still running; retry later to get its answer").retry(true, Duration.ofSeconds(1));
    }

    /** 409: the original may or may not have been applied, and can never be run again under this key. */
    public MyelinException outcomeUnknown(String why) {
        return new MyelinException(ErrorKind.CONFLICT, header, "the request with " + header + " '" + value + "' "
                + why + "; its outcome is unknown (it may or may not have been applied). Check the data, then send"
                + " it again with a new " + header).retry(false, null);
    }

    /**
     * A stored answer as a retry gets it. An answer stored as an error (only "outcome unknown" is ever stored so, as
     * its message) is raised again, so the retry is refused the same way rather than shown an error as a success.
     */
    public Reply replay(Reply stored) {
        if (stored.status() >= 400) {
            throw new MyelinException(ErrorKind.CONFLICT, header, new String(stored.body(), StandardCharsets.UTF_8))
                    .retry(false, null);
        }
        return stored;
    }
}
