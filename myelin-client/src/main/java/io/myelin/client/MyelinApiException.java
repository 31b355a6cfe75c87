package io.myelin.client;

/**
 * The server rejected a request. Carries the HTTP status and the wire error's {@code type}, {@code message}
 * and {@code field}; branch on {@link #status()} or {@link #type()}, never on message text.
 *
 * <pre>{@code
 * try {
 *     client.axons().get(id);
 * } catch (NotFoundException e) {
 *     // gone
 * } catch (MyelinApiException e) {
 *     log.warn("{} {} (field {})", e.status(), e.type(), e.field());
 * }
 * }</pre>
 *
 * Subclasses exist for the statuses callers commonly handle: {@link NotFoundException} (404),
 * {@link AuthException} (401, 403), {@link ConflictException} (409), {@link RateLimitedException} (429).
 */
public class MyelinApiException extends MyelinException {
    private final int status;
    private final String type;
    private final String field;
    private final String serverMessage;
    private transient RetryAdvice advice = RetryAdvice.NONE; // set once, before the exception is thrown

    /**
     * Creates an exception for one error response; {@link #of} picks the subclass for you.
     *
     * @param status  the HTTP status
     * @param type    the wire error type
     * @param message the server's message
     * @param field   the request field at fault, or {@code null}
     */
    public MyelinApiException(int status, String type, String message, String field) {
        super(describe(status, type, message, field), null);
        this.status = status;
        this.type = type;
        this.field = field;
        this.serverMessage = message;
    }

    /** Builds the most specific subclass for {@code status}. */
    public static MyelinApiException of(int status, String type, String message, String field) {
        return switch (status) {
            case 401, 403 -> new AuthException(status, type, message, field);
            case 404 -> new NotFoundException(status, type, message, field);
            case 409 -> new ConflictException(status, type, message, field);
            case 429 -> new RateLimitedException(status, type, message, field);
            default -> new MyelinApiException(status, type, message, field);
        };
    }

    /** This exception, carrying the answer's retry headers (for the client's own retry decisions). */
    MyelinApiException advised(RetryAdvice a) {
        this.advice = a;
        return this;
    }

    /** What the answer's headers said about retrying; {@link RetryAdvice#NONE} when unknown. */
    RetryAdvice advice() {
        return advice == null ? RetryAdvice.NONE : advice;
    }

    /** The HTTP status, e.g. 404. */
    public int status() {
        return status;
    }

    /** The wire error type, e.g. {@code "not_found"}; never {@code null}. */
    public String type() {
        return type;
    }

    /** The server's message, without the status and type prefix that {@link #getMessage()} adds. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The request field at fault, or {@code null} when the error is not about one field. */
    public String field() {
        return field;
    }

    private static String describe(int status, String type, String message, String field) {
        return status + " " + type + ": " + message + (field == null ? "" : " (field: " + field + ")");
    }
}
