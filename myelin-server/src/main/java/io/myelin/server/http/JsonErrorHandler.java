package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches {@link ApiHandler} (an unparseable or ambiguous URI, a bad header,
 * an oversize request line, broken chunking) get the same JSON error shape as everything else, instead of an HTML
 * page, whatever the method and the Accept header. (Jetty's own handler writes a body only for GET, POST and HEAD;
 * for HEAD, Jetty sends the headers alone, as HTTP requires.)
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        ErrorKind kind = kindOf(code);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", kind.wireType());
        error.put("message", message == null || message.isBlank() ? "HTTP " + code : message);
        byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("error", error));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
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
