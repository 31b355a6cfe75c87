package io.myelin.client;

/**
 * The server could not be reached, or the connection broke before a complete answer arrived. Whether the
 * request took effect is unknown; publishing with an idempotency key makes a retry safe.
 */
public class MyelinConnectionException extends MyelinException {
    public MyelinConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
