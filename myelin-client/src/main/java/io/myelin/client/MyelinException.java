package io.myelin.client;

/**
 * The root of every exception this client throws. Unchecked: catch it where you can act on it.
 * {@link MyelinApiException} means the server answered with an error; {@link MyelinConnectionException} means
 * no usable answer arrived.
 */
public class MyelinException extends RuntimeException {
    /**
     * Creates an exception.
     *
     * @param message what went wrong
     * @param cause   the underlying failure, or {@code null}
     */
    public MyelinException(String message, Throwable cause) {
        super(message, cause);
    }
}
