package io.myelin.server.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The inner end of the {@link HandlerChain}: calls the matched route with the request's {@link Exchange}. Declared
 * blocking, so Jetty runs the whole chain on a virtual thread (the server's thread pool has a virtual-thread
 * executor) and routes may block on storage and on the writer.
 */
public final class Dispatch extends Handler.Abstract {
    private final RequestLimits limits;

    public Dispatch(RequestLimits limits) {
        super(InvocationType.BLOCKING);
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Router.Match match = Routing.match(request);
        match.route().handle(new Exchange(request, response, callback, limits, match.params(),
                Authentication.caller(request)));
        return true;
    }
}
