package io.myelin.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import io.myelin.auth.Principal;
import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.RequestKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its response, as a route sees them: path captures, typed query parameters, a size-limited JSON
 * body, and one way to answer. Every parse failure becomes a 4xx {@link MyelinException} naming the parameter.
 *
 * <p>Threading: used by the one virtual thread handling the request.
 */
public final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> params;
    private final long maxBodyBytes;
    private final int maxKeyChars;
    private Fields query;
    private Principal principal;
    private AtomicBoolean gone;

    Exchange(Request request, Response response, Callback callback, Map<String, String> params, long maxBodyBytes,
             int maxKeyChars) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.params = params;
        this.maxBodyBytes = maxBodyBytes;
        this.maxKeyChars = maxKeyChars;
    }

    void principal(Principal principal) {
        this.principal = principal;
    }

    /** Who sent the request (authenticated routes), or null on public routes. */
    public Principal principal() {
        return principal;
    }

    /**
     * The retry identity of this write, fingerprinted with the request (caller, method, path and {@code body}), or
     * null when the client sent none. {@code Idempotency-Key} wins; else {@code X-Request-Id} counts, because the
     * official Runloop SDKs send one on every non-GET request and reuse it on their automatic retries. Either must
     * be 1..{@code limits.max-idempotency-key-chars} visible ASCII characters (400 naming the header otherwise).
     *
     * @param body the parsed body ({@code {}} for a request without one)
     */
    public RequestKey requestKey(JsonNode body) {
        String header = "Idempotency-Key";
        String value = header(header);
        if (value == null) {
            header = "X-Request-Id";
            value = header(header);
        }
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > maxKeyChars) {
            throw MyelinException.invalid(header, header + " must be 1.." + maxKeyChars + " characters, got "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw MyelinException.invalid(header, header + " must be visible ASCII (0x21-0x7E); character " + i
                        + " is U+" + String.format("%04X", (int) c));
            }
        }
        Fingerprint fingerprint = Fingerprint.builder()
                .add(principal == null ? null : principal.keyName())
                .add(request.getMethod())
                .add(Request.getPathInContext(request))
                .add(body)
                .build();
        return new RequestKey(value, header, fingerprint);
    }

    /**
     * True once the client is known to have gone away. HTTP/2 reports a reset stream at once; HTTP/1.1 reports a
     * closed connection only when Jetty next touches it, so there the queue deadlines are what bound late work.
     */
    public java.util.function.BooleanSupplier abandoned() {
        if (gone == null) {
            AtomicBoolean flag = new AtomicBoolean();
            request.addFailureListener(failure -> flag.set(true));
            gone = flag;
        }
        AtomicBoolean flag = gone;
        return flag::get;
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Callback callback() {
        return callback;
    }

    /** A {@code {name}} capture of the route pattern. */
    public String path(String name) {
        return params.get(name);
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public Fields queryFields() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw MyelinException.invalid("query", "malformed query string: " + e.getMessage());
            }
        }
        return query;
    }

    /** The single value of a query parameter, or null when absent. */
    public String query(String name) {
        Fields.Field f = queryFields().get(name);
        return f == null ? null : f.getValue();
    }

    public int intQuery(String name, int defaultValue, int min, int max) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw MyelinException.invalid(name, name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw MyelinException.invalid(name, name + " must be an integer between " + min + " and " + max + ", got '" + v + "'");
        }
    }

    /** A non-negative long query parameter, or null when absent. */
    public Long longQuery(String name) {
        String v = query(name);
        return v == null || v.isEmpty() ? null : parseSequence(name, v);
    }

    public static long parseSequence(String name, String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw MyelinException.invalid(name, name + " must be a sequence number >= 0, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw MyelinException.invalid(name, name + " must be a sequence number >= 0, got '" + v + "'");
        }
    }

    public boolean boolQuery(String name, boolean defaultValue) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw MyelinException.invalid(name, name + " must be true or false, got '" + v + "'");
        };
    }

    /**
     * The request body as a JSON object; an empty body reads as {@code {}}. Bodies over the limit are refused
     * with 413 before they are buffered (by Content-Length) or as soon as they cross it (chunked).
     */
    public JsonNode jsonBody() throws IOException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && !isJson(type)) {
            throw new MyelinException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    "request body must be application/json, got '" + type + "'");
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw MyelinException.tooLarge("body", "request body is " + declared + " bytes; the limit is " + maxBodyBytes);
        }
        byte[] bytes = readAtMost(maxBodyBytes);
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw MyelinException.invalid("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw MyelinException.invalid("body", "request body must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        String base = (semi < 0 ? t : t.substring(0, semi)).trim();
        return base.equals("application/json") || base.endsWith("+json");
    }

    private byte[] readAtMost(long max) throws IOException {
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared >= 0) { // Content-Length known (and already checked against the limit): read it exactly
                byte[] bytes = new byte[(int) declared];
                int n = in.readNBytes(bytes, 0, bytes.length);
                return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw MyelinException.tooLarge("body", "request body exceeds the limit of " + max + " bytes");
            }
            return bytes;
        }
    }

    public void ok(Object body) throws IOException {
        send(200, body);
    }

    /** Writes {@code body} as JSON with {@code status} and completes the exchange. */
    public void send(int status, Object body) throws IOException {
        sendJson(status, Json.MAPPER.writeValueAsBytes(body));
    }

    /**
     * Writes {@code body} as JSON, encoding it straight onto the connection in 64 KiB writes instead of into one
     * array first, then gives {@code held} back: a large answer costs its objects until the client has read it,
     * not twice that. Blocks the request's virtual thread while the client reads.
     */
    public void stream(Object body, AutoCloseable held) throws IOException {
        try {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), 64 * 1024)) {
                Json.MAPPER.writeValue(out, body);
            }
            callback.succeeded();
        } finally {
            release(held);
        }
    }

    /**
     * Writes an already encoded JSON body, waits until it is written, then gives {@code held} back and completes
     * the exchange.
     */
    public void sendJson(int status, byte[] bytes, AutoCloseable held) throws IOException {
        try {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(true, ByteBuffer.wrap(bytes), written);
                written.block();
            }
            callback.succeeded();
        } finally {
            release(held);
        }
    }

    private static void release(AutoCloseable held) {
        try {
            held.close();
        } catch (Exception e) {
            throw new IllegalStateException("releasing an answer's memory failed", e);
        }
    }

    /** Writes an already encoded JSON body (a stored answer) and completes the exchange. */
    public void sendJson(int status, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
