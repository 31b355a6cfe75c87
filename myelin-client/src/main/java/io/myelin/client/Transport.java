package io.myelin.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * HTTP plumbing: builds authenticated requests, retries transient failures, maps JSON to records, turns error
 * answers into {@link MyelinApiException}s and I/O failures into {@link MyelinConnectionException}s.
 *
 * <p><b>Retries.</b> One logical call makes at most {@code 1 + maxRetries} attempts. A connection failure (refused,
 * reset, closed before the answer, timed out) is retried; an error answer is retried when {@link RetryAdvice} says
 * so. Every non-GET call carries an {@code Idempotency-Key}, the caller's or one generated for the call, and every
 * attempt sends the same one: the server applies the write at most once and answers a repeat with the original's
 * answer, so retrying a publish whose answer was lost never appends twice. Between attempts the client waits what
 * the server asked ({@code Retry-After-Ms}/{@code Retry-After}, at most the maximum delay), else the next
 * {@link Backoff} delay. With a call timeout, no attempt and no wait goes past the call's deadline.
 *
 * <p>Threading: thread-safe ({@link HttpClient} is; each call's retry state lives on its own stack). A retry wait
 * ends early when the calling thread is interrupted (the flag stays set) or the client is closed.
 */
final class Transport {
    /** What the generated keys start with, so they are easy to tell from a caller's own in the server's records. */
    static final String KEY_PREFIX = "myl-";

    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final String actingUser;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialRetryDelay;
    private final Duration maxRetryDelay;
    private final Duration callTimeout; // null: no deadline beyond the retry count
    private final Consumer<RetryAttempt> retryListener;
    private final CountDownLatch closed = new CountDownLatch(1);

    Transport(MyelinClient.Builder b) {
        this.base = b.baseUrl;
        this.apiKey = b.apiKey;
        this.actingUser = b.actingUser;
        this.requestTimeout = b.requestTimeout;
        this.maxRetries = b.maxRetries;
        this.initialRetryDelay = b.initialRetryDelay;
        this.maxRetryDelay = b.maxRetryDelay;
        this.callTimeout = b.callTimeout;
        this.retryListener = b.retryListener;
        // HTTP/1.1 on purpose: the default would attempt an h2c upgrade on every plain-http request, and SSE
        // gains nothing from HTTP/2 here.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    /** {@code GET path?query}, read as a {@code type}; retried like any call. */
    <T> T get(String path, Query query, Class<T> type) {
        return call("GET", path + query, null, null, type, maxRetries);
    }

    /**
     * A write: {@code method path} with {@code body} as JSON ({@code null}: no body), read as a {@code type}
     * ({@link Void}: the answer is discarded).
     *
     * @param idempotencyKey the caller's key, or {@code null} to generate one for this call
     */
    <T> T write(String method, String path, Object body, String idempotencyKey, Class<T> type) {
        byte[] bytes = body == null ? null : Json.text(body).getBytes(StandardCharsets.UTF_8);
        return call(method, path, bytes, idempotencyKey == null ? newKey() : idempotencyKey, type, maxRetries);
    }

    /**
     * A write the server does not deduplicate by idempotency key, sent in one attempt: a retry after a lost answer
     * would do it twice (a second key, a second rotation that ends the first one's secret). A failure is the
     * caller's to check ({@link Keys} says how).
     */
    <T> T writeOnce(String method, String path, Object body, Class<T> type) {
        byte[] bytes = body == null ? null : Json.text(body).getBytes(StandardCharsets.UTF_8);
        return call(method, path, bytes, null, type, 0);
    }

    /**
     * One attempt of a long-polling {@code POST} (the server holds it until something happens or its own timeout,
     * then answers 408): not retried here, because the caller asks again in its own loop, at once.
     */
    <T> T longPoll(String path, Object body, Class<T> type) {
        byte[] bytes = Json.text(body).getBytes(StandardCharsets.UTF_8);
        return call("POST", path, bytes, newKey(), type, 0);
    }

    /** A fresh idempotency key: {@code myl-} and a random UUID. */
    static String newKey() {
        return KEY_PREFIX + UUID.randomUUID();
    }

    /**
     * Opens a streaming GET, in one attempt (a subscription reconnects by its own loop). The caller owns (and must
     * close) the returned body. Error statuses throw after reading the (small) error body; the exception carries
     * the answer's {@link RetryAdvice}.
     */
    InputStream openStream(String path, Query query, Duration headersTimeout) {
        HttpRequest req = request(path + query).timeout(headersTimeout).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw connectionFailure(req, e, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinConnectionException(req.method() + " " + req.uri() + " interrupted", e);
        } catch (IllegalStateException e) {
            throw new MyelinConnectionException("client is closed", e); // HttpClient refuses requests once shut down
        }
        if (response.statusCode() >= 400) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw error(response.statusCode(), body).advised(RetryAdvice.of(response.headers()));
        }
        return response.body();
    }

    /** Ends every call's retry wait and refuses new requests. */
    void close() {
        closed.countDown();
        http.shutdownNow();
    }

    private <T> T call(String method, String pathAndQuery, byte[] body, String key, Class<T> type, int retries) {
        boolean bounded = callTimeout != null;
        long deadline = bounded ? System.nanoTime() + callTimeout.toNanos() : 0;
        Backoff backoff = null;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder rb = request(pathAndQuery).timeout(bounded ? attemptTimeout(deadline) : requestTimeout);
            if (key != null) {
                rb.header("Idempotency-Key", key);
            }
            if (body != null) {
                rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            Attempt<T> outcome = send(rb.build(), type, attempt);
            if (outcome.failure() == null) {
                return outcome.value();
            }
            if (attempt > retries || closed.getCount() == 0) {
                throw outcome.failure();
            }
            if (backoff == null) {
                backoff = newBackoff();
            }
            Duration delay = retryDelay(outcome.advice(), backoff);
            if (bounded && deadline - System.nanoTime() - delay.toNanos() <= 0) {
                throw outcome.failure(); // the next attempt could not start before the call's deadline
            }
            beforeRetry(new RetryAttempt(method, pathAndQuery, attempt, delay, outcome.failure()));
        }
    }

    /**
     * One attempt's outcome when it did not fail for good: the decoded answer, or a failure worth trying again (no
     * connection, a timed-out attempt, a retryable error status) with the answer's retry advice.
     */
    record Attempt<T>(T value, MyelinException failure, RetryAdvice advice) {
    }

    /**
     * One attempt of {@code GET path?query} waiting at most {@code timeout} for the answer, for callers that run their
     * own retry loop (long polls whose query changes between attempts).
     *
     * @param attempt the attempt's number, for the failure's message
     * @throws MyelinApiException        an answer not worth retrying
     * @throws MyelinConnectionException the client is closed or the thread was interrupted
     */
    <T> Attempt<T> attempt(String path, Query query, Class<T> type, Duration timeout, int attempt) {
        return send(request(path + query).timeout(timeout).GET().build(), type, attempt);
    }

    /** A backoff with this client's retry delays, for one retry loop. */
    Backoff newBackoff() {
        return new Backoff(initialRetryDelay, maxRetryDelay);
    }

    /** How long to wait before the next attempt: what the server asked (at most the maximum delay), else the backoff's. */
    Duration retryDelay(RetryAdvice advice, Backoff backoff) {
        if (advice.retryAfter() != null) {
            return advice.retryAfter().compareTo(maxRetryDelay) > 0 ? maxRetryDelay : advice.retryAfter();
        }
        return backoff.next();
    }

    /**
     * Tells the retry listener about {@code retry}, then waits its delay.
     *
     * @throws MyelinConnectionException the client closed or the thread was interrupted during the wait
     */
    void beforeRetry(RetryAttempt retry) {
        if (retryListener != null) {
            retryListener.accept(retry);
        }
        pause(retry.delay(), retry.failure());
    }

    private <T> Attempt<T> send(HttpRequest req, Class<T> type, int attempt) {
        try {
            HttpResponse<byte[]> response = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status < 400) {
                return new Attempt<>(decode(req, response.body(), type), null, null);
            }
            RetryAdvice advice = RetryAdvice.of(response.headers());
            MyelinApiException api = error(status, new String(response.body(), StandardCharsets.UTF_8)).advised(advice);
            // A conflict that carries the intent's current state is final: asking again cannot change it.
            if (!advice.retryable(status) || api instanceof IntentConflictException) {
                throw api;
            }
            return new Attempt<>(null, api, advice);
        } catch (IOException e) {
            return new Attempt<>(null, connectionFailure(req, e, attempt), RetryAdvice.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinConnectionException(req.method() + " " + req.uri() + " interrupted", e);
        } catch (IllegalStateException e) {
            throw new MyelinConnectionException("client is closed", e); // HttpClient refuses requests once shut down
        }
    }

    /** Waits {@code delay} unless the client closes or the thread is interrupted first. */
    private void pause(Duration delay, MyelinException failure) {
        try {
            if (closed.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MyelinConnectionException("client is closed (while waiting to retry after: "
                        + failure.getMessage() + ")", failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            MyelinConnectionException interrupted = new MyelinConnectionException(
                    "interrupted while waiting to retry after: " + failure.getMessage(), e);
            interrupted.addSuppressed(failure);
            throw interrupted;
        }
    }

    private Duration attemptTimeout(long deadline) {
        long left = deadline - System.nanoTime();
        return left < requestTimeout.toNanos() ? Duration.ofNanos(Math.max(left, 1)) : requestTimeout;
    }

    private <T> T decode(HttpRequest req, byte[] bytes, Class<T> type) {
        if (type == Void.class) {
            return null;
        }
        try {
            return Json.read(bytes.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : bytes, type);
        } catch (IOException | RuntimeException e) {
            throw new MyelinConnectionException(req.method() + " " + req.uri() + ": unreadable answer ("
                    + e.getMessage() + ")", e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Accept", "application/json");
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        if (actingUser != null) {
            rb.header("X-Myelin-User", actingUser);
        }
        return rb;
    }

    private MyelinConnectionException connectionFailure(HttpRequest req, IOException e, int attempts) {
        // "after N attempts", not "gave up": a retry listener sees this failure too, before the next attempt.
        String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
        if (e instanceof HttpTimeoutException) {
            return new MyelinConnectionException(req.method() + " " + req.uri() + " timed out"
                    + req.timeout().map(t -> " after " + t.toMillis() + " ms").orElse("")
                    + (attempts > 1 ? " on attempt " + attempts : ""), e);
        }
        return new MyelinConnectionException("cannot reach " + base + " (" + reason(e) + ")" + tries, e);
    }

    /** The most specific message in the cause chain: HttpClient often wraps "Connection refused" message-less. */
    private static String reason(Throwable e) {
        String why = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                why = t.getMessage();
            } else if (why == null && t instanceof ConnectException) {
                why = "connection refused";
            }
        }
        return why == null ? e.getClass().getSimpleName() : why;
    }

    /**
     * Reads the wire error {@code {"error":{"type","message","field"}}}, tolerating bodies that are not; a 409 that
     * also carries {@code "intent"} (a resolve or cancel of an intent no longer waiting) is an
     * {@link IntentConflictException}.
     */
    static MyelinApiException error(int status, String body) {
        String type = "http_" + status;
        String message = body.isBlank() ? "HTTP " + status : body.strip();
        String field = null;
        Intent intent = null;
        try {
            WireTypes.ErrorBody parsed = Json.read(body, WireTypes.ErrorBody.class);
            WireTypes.ErrorDetail err = parsed.error();
            if (err != null) {
                type = err.type() == null ? type : err.type();
                message = err.message() == null ? message : err.message();
                field = err.field();
            }
            intent = parsed.intent();
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the raw text as the message
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        if (status == 409 && intent != null) {
            return new IntentConflictException(type, message, field, intent);
        }
        return MyelinApiException.of(status, type, message, field);
    }
}
