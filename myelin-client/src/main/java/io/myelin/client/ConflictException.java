package io.myelin.client;

/** The request conflicts with the current state: HTTP 409. */
public class ConflictException extends MyelinApiException {
    /** See {@link MyelinApiException#MyelinApiException(int, String, String, String)}. */
    public ConflictException(int status, String type, String message, String field) {
        super(status, type, message, field);
    }
}
