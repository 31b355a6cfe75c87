package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In the {@link HandlerChain}: finds the route, before anything asks for a key, so an unknown path is 404 and a
 * wrong method 405 (with {@code Allow}) whether or not the request carries a valid key. Routes on its own strict
 * decoding of the raw path ({@link RequestTarget}), never on Jetty's lenient one. Keeps the match for the handlers
 * after it ({@link #match}).
 */
public final class Routing extends Handler.Wrapper {
    private static final String ATTRIBUTE = Routing.class.getName();
    private final Router router;

    public Routing(Router router, Handler next) {
        super(next);
        this.router = router;
    }

    /**
     * @throws MyelinException 400 naming {@code path} for a path that does not decode strictly, 404 for an
     *                         unknown path, 405 for a known path under another method
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
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
        request.setAttribute(ATTRIBUTE, match);
        return super.handle(request, response, callback);
    }

    /** The route the request matched; set for every request that got past this handler. */
    static Router.Match match(Request request) {
        return (Router.Match) request.getAttribute(ATTRIBUTE);
    }
}
