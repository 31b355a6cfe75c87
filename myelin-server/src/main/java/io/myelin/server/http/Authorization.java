package io.myelin.server.http;

import io.myelin.auth.AccessPolicy;
import io.myelin.error.MyelinException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In the {@link HandlerChain}: asks {@link AccessPolicy#check} whether the caller may perform the route's action,
 * on the axon named by the route's {@code {id}} capture when it has one. Public routes skip it, and so do actions on
 * one devbox ({@link io.myelin.auth.Action#onOneDevbox}): who may act on a devbox depends on its mounts, which the
 * devbox layer checks ({@link AccessPolicy#checkDevbox}) once it has the devbox; and actions on one intent
 * ({@link io.myelin.auth.Action#onOneIntent}), which the intent layer checks on the intent's axon.
 */
public final class Authorization extends Handler.Wrapper {
    private final AccessPolicy policy;

    public Authorization(AccessPolicy policy, Handler next) {
        super(next);
        this.policy = policy;
    }

    /**
     * @throws MyelinException 403 when the caller's scopes do not allow the action
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Router.Match match = Routing.match(request);
        if (match.action() != null && !match.action().onOneDevbox() && !match.action().onOneIntent()) {
            policy.check(Authentication.caller(request), match.action(), match.params().get("id"));
        }
        return super.handle(request, response, callback);
    }
}
