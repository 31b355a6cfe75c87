package io.myelin.server.http;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.CloseState;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outer end of the {@link HandlerChain}: the one place that turns a failure of any handler inside it, or of the
 * route, into the JSON error answer ({@code {"error": {"type", "message", "field"}}} with the kind's status).
 *
 * <ul>
 *   <li>{@link MyelinException}: its kind, message and field; {@code Retry-After} (whole seconds, rounded up) and
 *       {@code x-should-retry}, which the official Runloop SDKs obey over their own rules; {@code WWW-Authenticate}
 *       on 401.</li>
 *   <li>Anything else: 500 {@code internal error: <exception class>}; the message stays in the log.</li>
 *   <li>A request answered before its body was read is answered first, at once, then has the rest of its body read
 *       and dropped (up to 16 MiB, each piece awaited at most {@code http.body-timeout}), so a client still sending
 *       sees the answer rather than a reset connection, and one that declared a body it never sends (over the limit,
 *       say) is not kept waiting for its 413.</li>
 *   <li>Logs: client faults (4xx) at DEBUG; every 5xx at ERROR with its exception and cause, the request id and
 *       the key id — except load shed on purpose (a 503 that changed nothing and says when to retry: a full queue,
 *       the answer-memory budget), which is a WARN line limited to one a second with a count of those left out, so
 *       that a flood of requests cannot become a flood of log; a client that went away (closed, reset its stream,
 *       ended its HTTP/2 session, or stopped reading until the idle timeout) at DEBUG, whatever the route then threw
 *       (a 503 for work not started because of it included), and the request log says {@code status=aborted}.</li>
 * </ul>
 * Errors Jetty raises before the chain runs (an unparseable URI, a bad header) are {@link JsonErrorHandler}'s.
 *
 * <p>Threading: runs on the request's virtual thread, like the whole chain.
 */
public final class ErrorHandling extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);
    private static final long DRAIN_LIMIT = 16L << 20;
    private final RateLimitedLog shedding = new RateLimitedLog(1_000_000_000L);

    /** Load shed on purpose: refused before doing anything, with advice to retry later. */
    private static boolean shed(MyelinException e) {
        return e.kind() == ErrorKind.UNAVAILABLE && e.notApplied() && Boolean.TRUE.equals(e.shouldRetry());
    }

    private final Duration bodyTimeout;

    /** @param bodyTimeout {@code http.body-timeout}: longest wait for the next piece of a body drained after an error */
    public ErrorHandling(Duration bodyTimeout, Handler next) {
        super(next);
        this.bodyTimeout = bodyTimeout;
    }

    /** Request attribute set when the client went away before its answer was complete. */
    private static final String ABORTED = ErrorHandling.class.getName() + ".aborted";

    /** Whether {@code request}'s client went away before its answer was complete (for the request log). */
    static boolean aborted(Request request) {
        Object flag = request.getAttribute(ABORTED);
        return flag instanceof TransportFailure f ? f.get() != null : flag != null;
    }

    /** Records that {@code request}'s client went away; the request log then says so instead of a status. */
    static void markAborted(Request request) {
        if (request.getAttribute(ABORTED) instanceof TransportFailure f) {
            f.compareAndSet(null, new EofException("client went away"));
        } else {
            request.setAttribute(ABORTED, Boolean.TRUE);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback done) {
        // Jetty reports a failure of the request's transport (its HTTP/2 stream reset, its session ended by a
        // protocol error or a GOAWAY, its connection closed or idle) on its own thread, hence an atomic reference,
        // set here before anything can read it.
        TransportFailure transport = new TransportFailure();
        request.setAttribute(ABORTED, transport);
        request.addFailureListener(failure -> transport.compareAndSet(null, failure));
        // A write that fails once the route returned (an answer written asynchronously) fails this callback.
        Callback callback = new Callback.Nested(done) {
            @Override
            public void failed(Throwable x) {
                if (clientGone(x)) {
                    markAborted(request);
                }
                super.failed(x);
            }
        };
        try {
            return super.handle(request, response, callback);
        } catch (MyelinException e) {
            if (aborted(request)) {
                // The route saw the client gone (a SQL request not started since its stream was reset, say): the
                // 503 it would answer has nobody to reach, and says nothing about the server.
                gone(request, callback, e);
                return true;
            }
            int status = e.kind().status();
            if (status >= 500 && shed(e)) {
                shedding.warn(log, "{} {} answered {} (request {}, key {}): {}", request.getMethod(), path(request),
                        status, RequestIds.of(request), keyId(request), e.getMessage());
            } else if (status >= 500) {
                log.error("{} {} answered {} (request {}, key {}): {}", request.getMethod(), path(request), status,
                        RequestIds.of(request), keyId(request), e.getMessage(), e);
            } else {
                log.debug("{} {} answered {} (request {}): {}", request.getMethod(), path(request), status,
                        RequestIds.of(request), e.getMessage());
            }
            retryAdvice(response, e);
            answer(request, response, callback, e.kind(), e.getMessage(), e.field(), e.attached());
        } catch (Throwable t) {
            if (clientGone(t) || aborted(request) || (t instanceof IOException && sessionEnding(request))) {
                gone(request, callback, t);
                return true;
            }
            log.error("{} {} answered 500 (request {}, key {}): unhandled failure", request.getMethod(), path(request),
                    RequestIds.of(request), keyId(request), t);
            answer(request, response, callback, ErrorKind.INTERNAL, "internal error: " + t.getClass().getSimpleName(), null,
                    java.util.Map.of());
        }
        return true;
    }

    /** The client closed the connection, reset the stream or ended the session: nobody to answer, nothing to fix. */
    private static void gone(Request request, Callback callback, Throwable t) {
        log.debug("{} {}: client went away (request {}): {}", request.getMethod(), path(request),
                RequestIds.of(request), t.toString());
        markAborted(request);
        // Failed with the transport's own failure when there is one: Jetty then knows the stream is gone and does
        // not try to write an error page (a 500 logged at WARN and ERROR) for what the route threw after it.
        Throwable failure = request.getAttribute(ABORTED) instanceof TransportFailure f && f.get() != null
                && !clientGone(t) ? f.get() : t;
        callback.failed(failure);
    }

    /**
     * True when the request came on an HTTP/2 session that is ending (a GOAWAY sent or received: the client's
     * protocol error, too many resets, a client that closed it). Its streams' writes fail with a plain
     * IOException naming the session's error, sometimes before Jetty reports the stream's failure.
     */
    private static boolean sessionEnding(Request request) {
        return request.getConnectionMetaData().getConnection() instanceof HTTP2Connection h2
                && h2.getSession().getCloseState() != CloseState.NOT_CLOSED;
    }

    /** The failure Jetty reported for a request's transport, once it did; null before. */
    private static final class TransportFailure extends AtomicReference<Throwable> {
    }

    private static String path(Request request) {
        return LogText.safe(request.getHttpURI().getPath());
    }

    private static String keyId(Request request) {
        Caller caller = Authentication.caller(request);
        return caller == null ? "-" : caller.keyId();
    }

    private static void retryAdvice(Response response, MyelinException e) {
        if (response.isCommitted()) {
            return;
        }
        if (e.shouldRetry() != null) {
            response.getHeaders().put("x-should-retry", e.shouldRetry().toString());
        }
        if (e.retryAfter() != null) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        }
    }

    /**
     * True when {@code t} (or a cause) says the client closed the connection, reset the stream, ended its HTTP/2
     * session (a protocol error of its own, or the server's GOAWAY for one, such as too many resets), or stopped reading
     * until the connection's idle timeout ({@code http.idle-timeout}) passed: Jetty's idle timeout is the only
     * {@link TimeoutException} that reaches here, since the server's own waits end in a {@link MyelinException}.
     */
    static boolean clientGone(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            // java.io.EOFException, not only Jetty's EofException (a subclass): an HTTP/2 session that ends (the
            // client's protocol error, a GOAWAY) fails each of its streams with a plain EOFException("reset").
            if (c instanceof EOFException || c instanceof ClosedChannelException
                    || (c instanceof TimeoutException && c.getMessage() != null
                        && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("idle timeout"))) {
                return true;
            }
        }
        return false;
    }

    private void answer(Request request, Response response, Callback callback, ErrorKind kind, String message,
                        String field, java.util.Map<String, Object> attached) {
        if (response.isCommitted()) {
            callback.failed(new MyelinException(kind, field, message));
            return;
        }
        try {
            if (kind == ErrorKind.UNAUTHORIZED) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            if (!drainable(request)) {
                ErrorBody.write(response, kind.status(), kind, message, field, attached, callback);
                return;
            }
            // The answer goes out first, so that a refusal by the head alone (a body declared over the limit, a bad
            // key) reaches a client that sends its body slowly, or never; then what it does send is read and dropped.
            try (Blocker.Callback written = Blocker.callback()) {
                ErrorBody.write(response, kind.status(), kind, message, field, attached, written);
                written.block();
            }
            drainUnreadBody(request);
            callback.succeeded();
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    /**
     * Whether what is left of the request's body is worth reading once answered: not when reading it failed or
     * stopped already, not a CONNECT (tunnel bytes, which never end), not a client that waits for
     * {@code 100 Continue} before it sends (it will not send after a final answer), and not past
     * {@code DRAIN_LIMIT} (not worth the bandwidth: the connection or stream is closed on it).
     */
    private static boolean drainable(Request request) {
        long length = request.getLength();
        return !Exchange.bodyUnreadable(request) && !HttpMethod.CONNECT.is(request.getMethod())
                && length != 0 && length <= DRAIN_LIMIT
                && !request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    }

    /**
     * A request answered with an error before its body was read (unknown axon, bad key, oversize by its
     * Content-Length, ...) has the rest of its body read and discarded, up to {@code DRAIN_LIMIT}, each next piece
     * awaited at most {@code http.body-timeout}. Otherwise a client still sending sees the connection reset
     * (HTTP/1.1) or its stream cancelled (HTTP/2) before it reads the error.
     */
    private void drainUnreadBody(Request request) {
        long left = DRAIN_LIMIT;
        while (left > 0) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                CompletableFuture<Void> more = new CompletableFuture<>();
                request.demand(() -> more.complete(null));
                try {
                    more.get(bodyTimeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    return; // the client stopped sending: the connection is closed on what is left
                }
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk) || chunk.isLast()) {
                    return;
                }
                left -= chunk.remaining();
            } finally {
                chunk.release();
            }
        }
    }
}
