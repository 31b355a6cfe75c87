package io.myelin.client;

/** The API key is missing or wrong (401), or not allowed to do this (403). */
public class AuthException extends MyelinApiException {
    /** See {@link MyelinApiException#MyelinApiException(int, String, String, String)}. */
    public AuthException(int status, String type, String message, String field) {
        super(status, type, message, field);
    }
}
