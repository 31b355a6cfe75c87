package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.util.Map;
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
 * logged at DEBUG, left unanswered and marked aborted for the request log. A refusal of the head names the part
 * refused ({@code path}, {@code Content-Length}) where Jetty's failure shows which it was.
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
        MyelinException head = code == 400 ? headProblem(cause) : null;
        if (head != null) {
            // Jetty refused the request line or a header it reads itself (a malformed %-escape, an encoded NUL, a
            // Content-Length no number holds): say what, as the chain would have, naming the path or the header.
            field = head.field();
            text = head.getMessage();
        }
        ErrorBody.write(response, code, kindOf(code), text, field, Map.of(), callback);
    }

    /**
     * Why Jetty refused the request head, as a 400 naming {@code path} (a malformed %-escape, a character Jetty
     * never accepts in a path such as an encoded NUL) or {@code Content-Length} (not a length, or past 2^63 - 1),
     * when its failure says so; else null. Jetty gives these refusals no detail of its own ("Bad Request"): the
     * cause says which part of the head it was.
     */
    private static MyelinException headProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("Content-Length") || readingContentLength(t)) {
                return MyelinException.invalid("Content-Length", "the Content-Length header is not a valid length: it"
                        + " must be one decimal number of bytes, at most 9223372036854775807"
                        + (m == null ? "" : " (" + m.replaceAll("\\p{Cntrl}", "?") + ")"));
            }
            if (m != null && (m.contains("URI") || m.contains("encoding") || m.contains("in path"))) {
                return MyelinException.invalid("path", "the request target is malformed: "
                        + m.replaceAll("\\p{Cntrl}", "?")
                        + (m.contains("in path") ? " (such as a percent-encoded NUL, %00, which no path may hold)" : ""));
            }
        }
        return null;
    }

    /** Whether {@code t} was thrown while Jetty's parser read a Content-Length (an overflow has no message). */
    private static boolean readingContentLength(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("convertContentLength")) {
                return true;
            }
        }
        return false;
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
