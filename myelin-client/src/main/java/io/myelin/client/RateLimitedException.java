package io.myelin.client;

/** The server asks the client to slow down: HTTP 429. */
public class RateLimitedException extends MyelinApiException {
    /** See {@link MyelinApiException#MyelinApiException(int, String, String, String)}. */
    public RateLimitedException(int status, String type, String message, String field) {
        super(status, type, message, field);
    }
}
