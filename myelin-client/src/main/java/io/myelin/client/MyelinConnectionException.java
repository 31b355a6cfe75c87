package io.myelin.client;

/**
 * The server could not be reached, or the connection broke before a complete answer arrived. Whether the
 * request took effect is unknown; publishing with an idempotency key makes a retry safe.
 */
public class MyelinConnectionException extends MyelinException {
    /**
     * Creates an exception.
     *
     * @param message what failed, naming the server
     * @param cause   the I/O failure
     */
    public MyelinConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
