package io.myelin.error;

/**
 * The kinds of failure the engine reports to callers. Each maps to one HTTP status and one stable
 * {@code error.type} string on the wire, so clients can branch on the type rather than on message text.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    REQUEST_TIMEOUT(408, "request_timeout"),
    CONFLICT(409, "conflict"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    UNPROCESSABLE(422, "unprocessable"),
    TOO_MANY_REQUESTS(429, "too_many_requests"),
    UNAVAILABLE(503, "unavailable"),
    /** The server's disk is full: nothing of the request was stored; retry once space is freed. */
    INSUFFICIENT_STORAGE(507, "insufficient_storage"),
    INTERNAL(500, "internal");

    private final int status;
    private final String wireType;

    ErrorKind(int status, String wireType) {
        this.status = status;
        this.wireType = wireType;
    }

    public int status() {
        return status;
    }

    public String wireType() {
        return wireType;
    }
}
