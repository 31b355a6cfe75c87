package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * In the {@link HandlerChain}: finds the route, before anything asks for a key, so an unknown path is 404 and a
 * wrong method 405 (with {@code Allow}) whether or not the request carries a valid key. Routes on its own strict
 * decoding of the raw path ({@link RequestTarget}), never on Jetty's lenient one. Then, on every route whether or
 * not it reads them, decodes the query strictly (a parameter given twice is refused rather than first-wins) and
 * refuses a header that must appear once but appears more often ({@link #SINGLE_HEADERS}): a proxy or a client that
 * adds its own copy must not make the server act on one while the other side checked the other. Keeps the match
 * and the query for the handlers after it ({@link #match}, {@link #query}).
 */
public final class Routing extends Handler.Wrapper {
    private static final String ATTRIBUTE = Routing.class.getName();
    private static final String QUERY = Routing.class.getName() + ".query";
    /** Headers whose value the server acts on, which a request may carry at most once (else 400 naming it). */
    static final List<String> SINGLE_HEADERS = List.of("Authorization", "Idempotency-Key", "X-Request-Id",
            "X-Myelin-User", "Content-Type", "Content-Encoding", "Last-Event-ID");
    private final Router router;

    public Routing(Router router, Handler next) {
        super(next);
        this.router = router;
    }

    /**
     * @throws MyelinException 404 for CONNECT (HTTP/1.1 or HTTP/2, with or without a path); 400 naming {@code path} for a path that does not decode strictly, 404 for an
     *                         unknown path, 405 for a known path under another method; then 400 naming the query
     *                         parameter that does not decode or is repeated, or the header that is repeated
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (HttpMethod.CONNECT.is(method)) {
            // No route takes CONNECT: this server is no proxy. Refused here, before its target is read, since an
            // HTTP/2 CONNECT (RFC 9113 §8.5) has no :path at all, only an :authority.
            throw new MyelinException(ErrorKind.NOT_FOUND, null, "no route for CONNECT "
                    + LogText.safe(request.getHttpURI().getAuthority()) + ": this server is not a proxy");
        }
        String rawPath = request.getHttpURI().getPath();
        String path = RequestTarget.path(rawPath);
        if (request.getHttpURI().getParam() != null) { // in case a Jetty version strips ';x' from getPath()
            throw MyelinException.invalid("path", "path parameters (';') are not accepted: '" + rawPath + "'");
        }
        Router.Match match = router.match(method, path);
        if (match.route() == null) {
            if (!match.allowed().isEmpty()) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", match.allowed()));
                throw new MyelinException(ErrorKind.METHOD_NOT_ALLOWED, null,
                        method + " is not allowed on " + path + "; allowed: " + String.join(", ", match.allowed()));
            }
            throw new MyelinException(ErrorKind.NOT_FOUND, null, "no route for " + method + " " + path);
        }
        request.setAttribute(QUERY, RequestTarget.query(request.getHttpURI().getQuery()));
        for (String name : SINGLE_HEADERS) {
            int n = 0;
            for (HttpField f : request.getHeaders()) {
                if (f.is(name) && ++n > 1) {
                    throw MyelinException.invalid(name, "the " + name + " header is sent more than once; send it once");
                }
            }
        }
        request.setAttribute(ATTRIBUTE, match);
        return super.handle(request, response, callback);
    }

    /** The request's query parameters, decoded strictly; set for every request that got past this handler. */
    static Fields query(Request request) {
        return (Fields) request.getAttribute(QUERY);
    }

    /** The route the request matched; set for every request that got past this handler. */
    static Router.Match match(Request request) {
        return (Router.Match) request.getAttribute(ATTRIBUTE);
    }
}
