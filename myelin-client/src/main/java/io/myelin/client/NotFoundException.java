package io.myelin.client;

/** The axon (or other addressed resource) does not exist: HTTP 404. */
public class NotFoundException extends MyelinApiException {
    /** See {@link MyelinApiException#MyelinApiException(int, String, String, String)}. */
    public NotFoundException(int status, String type, String message, String field) {
        super(status, type, message, field);
    }
}
