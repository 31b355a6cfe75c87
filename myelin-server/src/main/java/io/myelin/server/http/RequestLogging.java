package io.myelin.server.http;

import io.myelin.auth.Caller;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log ({@code http.request-log}, off by default): one INFO line per answered request on the logger
 * {@value #LOGGER}, in logfmt:
 * <pre>method=POST path=/v1/axons/axn_.../publish status=200 ms=3 bytes=38 key=key_... request=req_... user=alice</pre>
 * {@code status} is {@code aborted} when the client went away before its answer was complete (it closed the
 * connection, reset its HTTP/2 stream, or stopped reading until {@code http.idle-timeout}), whatever was sent;
 * {@code ms} runs from the request's arrival to its last byte (an SSE stream's line comes when it ends), {@code bytes}
 * counts the answer's body, {@code key} is the key's id, {@code user} the acting user ({@code -} when absent or
 * unauthenticated). Never the key, the query string or a body; client text is kept to visible ASCII.
 *
 * <p>It is Jetty's {@link RequestLog}, not a handler of the {@link HandlerChain}, so that it runs after the answer
 * is complete (final status and size) and also for requests Jetty refuses before the chain.
 */
public final class RequestLogging implements RequestLog {
    public static final String LOGGER = "io.myelin.request";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(Request request, Response response) {
        if (!log.isInfoEnabled()) {
            return;
        }
        HttpURI uri = request.getHttpURI();
        Caller caller = Authentication.caller(request);
        log.info("method={} path={} status={} ms={} bytes={} key={} request={} user={}",
                LogText.safe(request.getMethod()), LogText.safe(uri == null ? null : uri.getPath()),
                ErrorHandling.aborted(request) ? "aborted" : Integer.toString(response.getStatus()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime()),
                Response.getContentBytesWritten(response), caller == null ? "-" : caller.keyId(),
                LogText.safe(RequestIds.of(request)), caller == null ? "-" : LogText.safe(caller.actingUser()));
    }
}
