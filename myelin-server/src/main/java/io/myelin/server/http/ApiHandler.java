package io.myelin.server.http;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.ApiKeys;
import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single Jetty handler: route lookup, authentication, authorisation, then the route; and the one place that
 * turns failures into JSON errors. Routes stay thin because none of this is repeated in them.
 *
 * <p>Jetty runs this handler on a virtual thread (the server's thread pool has a virtual-thread executor and this
 * handler declares itself blocking), so routes may block on storage and on the writer.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private static final long DRAIN_LIMIT = 16L << 20;

    private final Router router;
    private final ApiKeys keys;
    private final AccessPolicy policy;
    private final RequestLimits limits;

    public ApiHandler(Router router, ApiKeys keys, AccessPolicy policy, RequestLimits limits) {
        super(InvocationType.BLOCKING);
        this.router = router;
        this.keys = keys;
        this.policy = policy;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String path = rawPath;
        Exchange ex = new Exchange(request, response, callback, limits);
        try {
            // Routed on our own strict decoding of the raw path, never on Jetty's lenient one (see RequestTarget).
            path = RequestTarget.path(rawPath);
            if (request.getHttpURI().getParam() != null) { // in case a Jetty version strips ';x' from getPath()
                throw MyelinException.invalid("path", "path parameters (';') are not accepted: '" + rawPath + "'");
            }
            Router.Match match = router.match(method, path);
            ex.captures(match.params());
            if (match.route() == null) {
                if (!match.allowed().isEmpty()) {
                    response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", match.allowed()));
                    throw new MyelinException(ErrorKind.METHOD_NOT_ALLOWED, null,
                            method + " is not allowed on " + path + "; allowed: " + String.join(", ", match.allowed()));
                }
                throw new MyelinException(ErrorKind.NOT_FOUND, null, "no route for " + method + " " + path);
            }
            if (match.action() != null) {
                Caller caller = Caller.of(keys.authenticate(bearer(request)), null, null);
                policy.check(caller, match.action(), match.params().get("id"));
                ex.caller(caller);
            }
            match.route().handle(ex);
        } catch (MyelinException e) {
            if (ex.bodyUnreadable()) {
                log.debug("{} {}: {}", method, path, e.getMessage());
            }
            retryAdvice(ex, e);
            fail(ex, e.kind(), e.getMessage(), e.field());
        } catch (Throwable t) {
            if (clientGone(t)) {
                // The client closed the connection or reset the stream: nobody is left to answer, nothing to fix.
                log.debug("{} {}: client went away: {}", method, path, t.toString());
                ex.callback().failed(t);
                return true;
            }
            log.error("unhandled failure on {} {}", method, path, t);
            fail(ex, ErrorKind.INTERNAL, "internal error: " + t.getClass().getSimpleName(), null);
        }
        return true;
    }

    /**
     * {@code Retry-After} (whole seconds, rounded up) and {@code x-should-retry}, which the official Runloop SDKs
     * obey over their own rules (they otherwise retry 408, 409, 429 and 5xx).
     */
    private static void retryAdvice(Exchange ex, MyelinException e) {
        if (ex.response().isCommitted()) {
            return;
        }
        if (e.shouldRetry() != null) {
            ex.response().getHeaders().put("x-should-retry", e.shouldRetry().toString());
        }
        if (e.retryAfter() != null) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            ex.response().getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        }
    }

    private static boolean clientGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EofException || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of {@code Authorization: Bearer <key>}, or null without the header. Keys are visible ASCII; any other
     * character is a 401 that does not echo the key.
     */
    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null) {
            return null;
        }
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "Authorization must be 'Bearer <key>'");
        }
        String key = auth.substring(7).trim();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization",
                        "invalid API key: keys are visible ASCII, character " + i + " is not");
            }
        }
        return key;
    }

    /**
     * A request answered with an error before its body was read (unknown axon, bad key, oversize by its
     * Content-Length, ...) has the rest of its body read and discarded first, up to {@code DRAIN_LIMIT}. Otherwise a
     * client still sending sees the connection reset (HTTP/1.1) or its stream cancelled (HTTP/2) instead of the
     * error. Longer bodies are not worth the bandwidth: the connection or stream is closed on them.
     */
    private static void drainUnreadBody(Request request) {
        long length = request.getLength();
        if (length == 0 || length > DRAIN_LIMIT) {
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            long left = DRAIN_LIMIT;
            byte[] scratch = new byte[8192];
            for (int n; left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0; ) {
                left -= n;
            }
        } catch (Exception ignored) {
            // the body was already read, or the client went away: nothing to drain
        }
    }

    private static void fail(Exchange ex, ErrorKind kind, String message, String field) {
        if (ex.response().isCommitted()) {
            ex.callback().failed(new MyelinException(kind, field, message));
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", kind.wireType());
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        try {
            if (!ex.bodyUnreadable()) {
                drainUnreadBody(ex.request());
            }
            if (kind == ErrorKind.UNAUTHORIZED) {
                ex.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            ex.send(kind.status(), Map.of("error", error));
        } catch (Exception e) {
            ex.callback().failed(e);
        }
    }
}
