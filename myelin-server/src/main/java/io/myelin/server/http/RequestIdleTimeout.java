package io.myelin.server.http;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gives a connection that carries a request the long idle timeout ({@code http.idle-timeout}) in place of the short
 * one it was accepted with ({@code http.header-timeout}), so that a connection that never sends a request head is
 * closed soon while an SSE stream or a {@code wait_for_status} long poll (up to 30 s of silence) is not.
 *
 * <p>HTTP/1.1 needs nothing here: Jetty sets the connection's timeout to {@code HttpConfiguration.getIdleTimeout()}
 * while each request is handled and puts the short one back after it, so a kept-alive connection waits for its next
 * head as for its first. HTTP/2 carries many streams on one connection, and Jetty applies that timeout to each stream
 * but leaves the connection's own (after which the whole session is closed, whatever its streams are doing) at the
 * connector's. This handler raises it, for good, once the connection has carried a request: from then on it is a
 * client's session rather than a half-open socket.
 *
 * <p>Threading: runs on the request's thread; {@link EndPoint#setIdleTimeout} is safe to call from any thread, and
 * two streams raising it at once write the same value.
 */
public final class RequestIdleTimeout extends Handler.Wrapper {
    private final long idleTimeoutMs;

    /** @param idleTimeoutMs the timeout of a connection that carried a request (milliseconds) */
    public RequestIdleTimeout(long idleTimeoutMs, Handler next) {
        super(next);
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getIdleTimeout() < idleTimeoutMs) {
            endPoint.setIdleTimeout(idleTimeoutMs);
        }
        return super.handle(request, response, callback);
    }
}
