package io.myelin.error;

/**
 * A failure with a caller-facing meaning: what went wrong ({@link ErrorKind}), a message that carries the
 * offending state (the value, the limit), and, when one input is to blame, the name of that field as the
 * client spelled it. The HTTP layer renders it as {@code {"error":{"type","message","field"}}}.
 */
public final class MyelinException extends RuntimeException {
    private final ErrorKind kind;
    private final String field;

    public MyelinException(ErrorKind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public MyelinException(ErrorKind kind, String field, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static MyelinException invalid(String field, String message) {
        return new MyelinException(ErrorKind.INVALID_REQUEST, field, message);
    }

    public static MyelinException notFound(String what, String id) {
        return new MyelinException(ErrorKind.NOT_FOUND, null, what + " not found: " + id);
    }

    public static MyelinException tooLarge(String field, String message) {
        return new MyelinException(ErrorKind.PAYLOAD_TOO_LARGE, field, message);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault, or {@code null} when the failure is not about one field. */
    public String field() {
        return field;
    }
}
