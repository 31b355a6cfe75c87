package io.myelin.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.text.JsonText;
import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import io.myelin.auth.Caller;
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
    private static final String BODY_UNREADABLE = Exchange.class.getName() + ".bodyUnreadable";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> params;
    private final RequestLimits limits;
    private final Caller caller;
    private Fields query;
    private AtomicBoolean gone;

    /**
     * @param captures the route pattern's {@code {name}} captures
     * @param caller   who the request acts as, or null on a public route
     */
    Exchange(Request request, Response response, Callback callback, RequestLimits limits,
             Map<String, String> captures, Caller caller) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.limits = limits;
        this.params = captures;
        this.caller = caller;
    }

    /** Who the request acts as (authenticated routes): the first argument of every engine call. Null on public routes. */
    public Caller caller() {
        return caller;
    }

    /**
     * The retry identity of this write, fingerprinted with the request (method, path and {@code body}; the engine
     * adds the caller, {@link RequestKey#sentBy}), or null when the client sent none. {@code Idempotency-Key} wins; else {@code X-Request-Id} counts, because the
     * official Runloop SDKs send one on every non-GET request and reuse it on their automatic retries.
     *
     * @param body the parsed body ({@code {}} for a request without one)
     * @throws MyelinException 400 naming the header sent when its value is empty, longer than
     *                         {@code limits.max-idempotency-key-chars}, or not visible ASCII (0x21-0x7E)
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
        int max = limits.maxRetryKeyChars();
        if (value.isEmpty() || value.length() > max) {
            throw MyelinException.invalid(header, header + " must be 1.." + max + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw MyelinException.invalid(header, header + " must be visible ASCII (0x21-0x7E); character "
                        + i + " is U+" + String.format("%04X", (int) c));
            }
        }
        Fingerprint fingerprint = Fingerprint.builder()
                .add(request.getMethod())
                .add(request.getHttpURI().getPath())
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

    /**
     * The query parameters, decoded strictly from the raw query by {@link RequestTarget#query}.
     *
     * @throws MyelinException 400 naming the parameter whose escapes or UTF-8 are malformed
     */
    public Fields queryFields() {
        if (query == null) {
            Fields decoded = Routing.query(request); // every routed request's, decoded by Routing
            query = decoded != null ? decoded : RequestTarget.query(request.getHttpURI().getQuery());
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
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw MyelinException.invalid(name, name + " must be true or false, got '" + v + "'");
        };
    }

    /**
     * The request body as a JSON object. The body must be JSON text as RFC 8259 defines it: strict UTF-8 without
     * a byte order mark, no raw control characters, paired surrogate escapes ({@link JsonText}), then a single
     * object with no duplicate keys and nothing after it. An empty body reads as {@code {}} unless its
     * Content-Type claims JSON.
     *
     * @throws MyelinException 415 when Content-Type is not JSON or names a charset other than UTF-8, or when the body
     *                         has a Content-Encoding other than {@code identity} (bodies are not decoded); 413 when the
     *                         body is over {@code limits.max-body-bytes} (refused by Content-Length before it is
     *                         read, or as soon as a chunked body crosses it); 408 when no bytes arrive for
     *                         {@code http.body-timeout}; 400 naming {@code body}, with the problem and its byte
     *                         offset, for everything else (including a body cut short or with broken chunking)
     */
    public JsonNode jsonBody() throws IOException {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
            // Decoding would let a small body expand without bound before any limit sees it; reading the coded
            // bytes as JSON would refuse them with a misleading message.
            throw new MyelinException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding", "request bodies are not "
                    + "decoded: Content-Encoding '" + LogText.safe(encoding) + "' is not supported; send the body"
                    + " uncompressed, without Content-Encoding");
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null) {
            checkJsonType(type);
        }
        long declared = request.getLength();
        if (declared > limits.maxBodyBytes()) {
            throw MyelinException.tooLarge("body", "request body is " + declared + " bytes; the limit is "
                    + limits.maxBodyBytes() + " (limits.max-body-bytes)");
        }
        byte[] bytes = readBody(declared);
        if (bytes.length == 0) {
            if (type != null) {
                throw MyelinException.invalid("body", "request body is empty but Content-Type says JSON; send a JSON"
                        + " object such as {}, or no Content-Type");
            }
            return Json.MAPPER.createObjectNode();
        }
        JsonText.require(bytes, bytes.length, "request body", "body");
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (NumberFormatException e) {
            // BigDecimal's exponent is an int: 1e9999999999 cannot be held exactly, and is no use to any field.
            throw MyelinException.invalid("body", "request body holds a number out of range: " + e.getMessage());
        } catch (StreamConstraintsException e) {
            throw MyelinException.invalid("body", "request body is over a JSON parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String problem = e.getOriginalMessage().startsWith("Trailing token")
                    ? "more text follows the JSON object" : e.getOriginalMessage();
            throw MyelinException.invalid("body", "request body is not valid JSON: " + problem
                    + (at == null || at.getByteOffset() < 0 ? "" : " at byte offset " + at.getByteOffset()));
        }
        if (node == null || node.isMissingNode()) {
            throw MyelinException.invalid("body", "request body holds no JSON value, only whitespace");
        }
        if (!node.isObject()) {
            throw MyelinException.invalid("body", "request body must be a JSON object, got " + Bodies.describe(node));
        }
        return node;
    }

    private static void checkJsonType(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String base = (semi < 0 ? t : t.substring(0, semi)).trim();
        if (!base.equals("application/json") && !base.endsWith("+json")) {
            throw new MyelinException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    "request body must be application/json, got '" + contentType + "'");
        }
        for (String param : semi < 0 ? new String[0] : t.substring(semi + 1).split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equals("charset")) {
                String charset = param.substring(eq + 1).trim().replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new MyelinException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                            "JSON request bodies are UTF-8 (RFC 8259 §8.1); Content-Type names charset '" + charset + "'");
                }
            }
        }
    }

    /**
     * Reads the whole body, at most {@code limits.maxBodyBytes()}: exactly {@code declared} bytes when the length
     * is known. Waits for each next piece at most {@code limits.bodyTimeout()}.
     */
    private byte[] readBody(long declared) throws IOException {
        long max = limits.maxBodyBytes();
        byte[] buf = new byte[declared >= 0 ? (int) declared : (int) Math.min(8192, max + 1)];
        int n = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitBody(n, declared);
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    throw unreadable(chunk.getFailure(), n, declared);
                }
                ByteBuffer data = chunk.getByteBuffer();
                int r = data.remaining();
                if ((long) n + r > max) {
                    throw MyelinException.tooLarge("body", "request body exceeds the limit of " + max
                            + " bytes (limits.max-body-bytes)");
                }
                if (n + r > buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(max + 1, Math.max((long) n + r, 2L * buf.length)));
                }
                data.get(buf, n, r);
                n += r;
                if (chunk.isLast()) {
                    return n == buf.length ? buf : Arrays.copyOf(buf, n);
                }
            } finally {
                chunk.release();
            }
        }
    }

    private void awaitBody(int received, long declared) throws IOException {
        CompletableFuture<Void> more = new CompletableFuture<>();
        request.demand(() -> more.complete(null));
        try {
            more.get(limits.bodyTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            markBodyUnreadable();
            throw new MyelinException(ErrorKind.REQUEST_TIMEOUT, "body", "request body stalled: no bytes for "
                    + limits.bodyTimeout().toMillis() + " ms after " + received + " of " + (declared < 0 ? "?" : declared)
                    + " bytes (http.body-timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /**
     * A body that failed in transit is the client's fault (it closed early, or its chunked encoding is broken;
     * Jetty reports both as an early end of stream), or an idle timeout.
     */
    private MyelinException unreadable(Throwable failure, int received, long declared) {
        markBodyUnreadable();
        if (failure instanceof TimeoutException) {
            return new MyelinException(ErrorKind.REQUEST_TIMEOUT, "body", "request body stalled after " + received
                    + " bytes: " + failure.getMessage());
        }
        return new MyelinException(ErrorKind.INVALID_REQUEST, "body", "request body is incomplete or malformed: "
                + (declared >= 0 ? "got " + received + " of " + declared + " declared bytes"
                : "chunked body broke off after " + received + " bytes") + " (" + failure.getMessage() + ")", failure);
    }

    private void markBodyUnreadable() {
        request.setAttribute(BODY_UNREADABLE, Boolean.TRUE);
    }

    /** True once reading the request's body failed or stopped early: what is left of it cannot be drained. */
    static boolean bodyUnreadable(Request request) {
        return request.getAttribute(BODY_UNREADABLE) != null;
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
