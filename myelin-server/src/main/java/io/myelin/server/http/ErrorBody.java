package io.myelin.server.http;

import io.myelin.error.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one shape of every error answer, {@code {"error": {"type", "message", "field"?}}} (plus, for some refusals,
 * the state they are about beside {@code error}: {@link io.myelin.error.MyelinException#attach}), and its writing.
 */
final class ErrorBody {
    private ErrorBody() {}

    /**
     * Answers {@code status} with the error as JSON and completes {@code callback} once written.
     *
     * @param field    the request field at fault, or null
     * @param attached members to write beside {@code error}
     */
    static void write(Response response, int status, ErrorKind kind, String message, String field,
                      Map<String, Object> attached, Callback callback) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", kind.wireType());
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.putAll(attached);
        byte[] body = Json.MAPPER.writeValueAsBytes(answer);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
