package io.myelin.server.http;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.ApiKeys;
import io.myelin.auth.Principal;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
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
    private final long maxBodyBytes;

    public ApiHandler(Router router, ApiKeys keys, AccessPolicy policy, long maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.router = router;
        this.keys = keys;
        this.policy = policy;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Router.Match match = router.match(method, path);
        Exchange ex = new Exchange(request, response, callback, match.params(), maxBodyBytes);
        try {
            if (match.route() == null) {
                if (!match.allowed().isEmpty()) {
                    response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", match.allowed()));
                    throw new MyelinException(ErrorKind.METHOD_NOT_ALLOWED, null,
                            method + " is not allowed on " + path + "; allowed: " + String.join(", ", match.allowed()));
                }
                throw new MyelinException(ErrorKind.NOT_FOUND, null, "no route for " + method + " " + path);
            }
            if (match.action() != null) {
                Principal principal = keys.authenticate(bearer(request));
                ex.principal(principal);
                policy.check(principal, match.action(), match.params().get("id"));
            }
            match.route().handle(ex);
        } catch (MyelinException e) {
            fail(ex, e.kind(), e.getMessage(), e.field());
        } catch (Throwable t) {
            log.error("unhandled failure on {} {}", method, path, t);
            fail(ex, ErrorKind.INTERNAL, "internal error: " + t.getClass().getSimpleName(), null);
        }
        return true;
    }

    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null) {
            return null;
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "Authorization must be 'Bearer <key>'");
    }

    /**
     * A body refused before it was read (over the size limit by its Content-Length, or an auth failure) is read
     * and discarded first, up to {@code DRAIN_LIMIT}: a client that writes its whole body before reading would
     * otherwise see the connection reset instead of the error. Larger bodies are not worth the bandwidth; the
     * connection is closed on them.
     */
    private static void drainRefusedBody(Request request, ErrorKind kind) {
        long length = request.getLength();
        if (length > 0 && length <= DRAIN_LIMIT
                && (kind == ErrorKind.PAYLOAD_TOO_LARGE || kind == ErrorKind.UNAUTHORIZED || kind == ErrorKind.UNSUPPORTED_MEDIA_TYPE)) {
            try {
                Content.Source.consumeAll(request);
            } catch (Exception ignored) {
                // the client went away: nothing to answer
            }
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
            drainRefusedBody(ex.request(), kind);
            if (kind == ErrorKind.UNAUTHORIZED) {
                ex.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            ex.send(kind.status(), Map.of("error", error));
        } catch (Exception e) {
            ex.callback().failed(e);
        }
    }
}
