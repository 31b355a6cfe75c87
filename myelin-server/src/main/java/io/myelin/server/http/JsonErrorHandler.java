package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors Jetty raises before a request reaches the {@link HandlerChain} (an unparseable or ambiguous URI, a bad
 * header, an oversize request line, broken chunking) get the same JSON error shape as everything else
 * ({@link ErrorBody}), instead of an HTML page, whatever the method and the Accept header, and an
 * {@code X-Request-Id} like every other answer. (Jetty's own handler writes a body only for GET, POST and HEAD;
 * for HEAD, Jetty sends the headers alone, as HTTP requires.) A 5xx is logged at ERROR with its cause, like
 * those of the chain. Client faults stay out of the ERROR log: a request Jetty refuses for its HTTP version
 * (HTTP/0.9, which Jetty answers 505) is a 400, and a connection that ended in the middle of its request head is
 * logged at DEBUG, left unanswered and marked aborted for the request log.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String requestId = RequestIds.assign(request);
        if (ErrorHandling.clientGone(cause) && ErrorHandling.aborted(request)) {
            // The chain already logged that the client went away; Jetty asks for an error page all the same.
            callback.failed(cause);
            return;
        }
        if (ErrorHandling.clientGone(cause)) {
            // The connection ended in the middle of a request head: nobody is left to answer, nothing to fix.
            log.debug("{} {}: client went away (request {}): {}", LogText.safe(request.getMethod()),
                    LogText.safe(request.getHttpURI() == null ? null : request.getHttpURI().getPath()), requestId,
                    cause.toString());
            ErrorHandling.markAborted(request);
            callback.failed(cause);
            return;
        }
        if (code == 505) {
            // Jetty refuses HTTP/0.9 (and unknown versions) with 505: the client's fault, not the server's.
            code = 400;
            message = "unsupported HTTP version: " + (message == null ? "?" : message)
                    + "; send HTTP/1.1 (or HTTP/2)";
        }
        if (code >= 500) {
            log.error("{} {} answered {} by Jetty (request {}): {}", LogText.safe(request.getMethod()),
                    LogText.safe(request.getHttpURI() == null ? null : request.getHttpURI().getPath()), code, requestId,
                    message, cause);
        }
        response.getHeaders().put(RequestIds.HEADER, requestId);
        String text = message == null || message.isBlank() ? "HTTP " + code : message;
        String field = null;
        MyelinException target = code == 400 ? targetProblem(cause) : null;
        if (target != null) {
            // Jetty refused the request line itself (a malformed %-escape, an encoded NUL): say what, as the chain
            // would have, naming the path.
            field = target.field();
            text = target.getMessage();
        }
        ErrorBody.write(response, code, kindOf(code), text, field, callback);
    }

    /**
     * Why Jetty refused the request target, as a 400 naming {@code path}, when its failure says so (a malformed
     * %-escape); else null. Jetty gives some refusals no detail at all ("Bad Request"): those stay as they are.
     */
    private static MyelinException targetProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("URI") || m.contains("encoding"))) {
                return MyelinException.invalid("path", "the request target is malformed: "
                        + m.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        return null;
    }

    private static ErrorKind kindOf(int code) {
        for (ErrorKind k : ErrorKind.values()) {
            if (k.status() == code) {
                return k;
            }
        }
        return code >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
    }
}
