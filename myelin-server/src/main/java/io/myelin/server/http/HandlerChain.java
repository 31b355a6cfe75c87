package io.myelin.server.http;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.ApiKeys;
import org.eclipse.jetty.server.Handler;

/**
 * The Jetty handlers every API request passes, outermost first, each one concern:
 * <ol>
 *   <li>{@link RequestIds}: the request's id, echoed as {@code X-Request-Id};</li>
 *   <li>{@link ErrorHandling}: every failure inside becomes the JSON error answer, and every 5xx an ERROR line;</li>
 *   <li>{@link Routing}: strict path decoding, route lookup, 404/405 — before any key is asked for;</li>
 *   <li>{@link Authentication}: bearer key → {@link io.myelin.auth.Caller} (401); public routes skip it;</li>
 *   <li>{@link Authorization}: {@link AccessPolicy#check} for the route's action (403); public routes skip it;</li>
 *   <li>{@link Dispatch}: the route, with the {@link Exchange}.</li>
 * </ol>
 * The handlers hand their results inward as request attributes, read through {@link Routing#match},
 * {@link Authentication#caller} and {@link RequestIds#of}. The request log ({@link RequestLogging}) is Jetty's
 * request log, not a handler: it sees every request once answered, also those Jetty refuses before the chain.
 */
public final class HandlerChain {
    private HandlerChain() {}

    public static Handler of(Router router, ApiKeys keys, AccessPolicy policy, RequestLimits limits) {
        return new RequestIds(new ErrorHandling(limits.bodyTimeout(), new Routing(router, new Authentication(keys,
                new Authorization(policy, new Dispatch(limits))))));
    }
}
