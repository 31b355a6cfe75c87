package io.myelin.error;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with a caller-facing meaning: what went wrong ({@link ErrorKind}), a message that carries the
 * offending state (the value, the limit), and, when one input is to blame, the name of that field as the
 * client spelled it. The HTTP layer renders it as {@code {"error":{"type","message","field"}}}.
 *
 * <p>A failure may also say whether sending the same request again can help ({@link #shouldRetry()}, rendered as
 * the {@code x-should-retry} header that the official Runloop SDKs obey) and how long to wait first
 * ({@link #retryAfter()}, rendered as {@code Retry-After}), and carry the state the refusal is about
 * ({@link #attach}: a 409 on an intent carries the intent as it is now, beside {@code error}).
 */
public final class MyelinException extends RuntimeException {
    private final ErrorKind kind;
    private final String field;
    private final Boolean shouldRetry;
    private final Duration retryAfter;
    private final boolean notApplied;
    private final Map<String, Object> attached;

    public MyelinException(ErrorKind kind, String field, String message) {
        this(kind, field, message, null);
    }

    public MyelinException(ErrorKind kind, String field, String message, Throwable cause) {
        this(kind, field, message, cause, null, null, false, Map.of());
    }

    private MyelinException(ErrorKind kind, String field, String message, Throwable cause, Boolean shouldRetry,
                            Duration retryAfter, boolean notApplied, Map<String, Object> attached) {
        super(message, cause, false, false);
        this.attached = attached;
        this.kind = kind;
        this.field = field;
        this.shouldRetry = shouldRetry;
        this.retryAfter = retryAfter;
        this.notApplied = notApplied;
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

    /**
     * This failure, telling the caller whether the same request may succeed if sent again, and after how long
     * ({@code null}: no advice).
     */
    public MyelinException retry(boolean retry, Duration after) {
        return new MyelinException(kind, field, getMessage(), getCause(), retry, after, notApplied, attached);
    }

    /**
     * This failure, marked as known to have changed nothing: the work was refused or never started. Every 4xx
     * means that already; a 5xx means it only when marked, otherwise its outcome is unknown.
     */
    public MyelinException nothingApplied() {
        return new MyelinException(kind, field, getMessage(), getCause(), shouldRetry, retryAfter, true, attached);
    }

    /** True when the request is known to have changed nothing (every 4xx, and 5xx marked {@link #nothingApplied}). */
    public boolean notApplied() {
        return notApplied || kind.status() < 500;
    }

    /**
     * This failure, carrying {@code value} as the member {@code name} of the error answer, beside {@code error}
     * ({@code {"error": {...}, "intent": {...}}}). The value must be renderable as JSON (a Jackson tree, a record).
     */
    public MyelinException attach(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(attached);
        more.put(name, value);
        return new MyelinException(kind, field, getMessage(), getCause(), shouldRetry, retryAfter, notApplied,
                Map.copyOf(more));
    }

    /** What {@link #attach} added, in no particular order; empty for most failures. */
    public Map<String, Object> attached() {
        return attached;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault, or {@code null} when the failure is not about one field. */
    public String field() {
        return field;
    }

    /** True or false when the engine knows whether a retry can help; null when it has no advice. */
    public Boolean shouldRetry() {
        return shouldRetry;
    }

    /** How long to wait before a retry, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
