package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP plumbing: builds authenticated requests, turns error responses into {@link MyelinApiException}s and
 * I/O failures into {@link MyelinConnectionException}s. Thread-safe ({@link HttpClient} is).
 */
final class Transport {
    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final Duration requestTimeout;

    Transport(URI base, String apiKey, Duration connectTimeout, Duration requestTimeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1 on purpose: the default would attempt an h2c upgrade on every plain-http request, and SSE
        // gains nothing from HTTP/2 here.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    JsonNode get(String path, Query query) {
        return send("GET", path, query, null, Map.of());
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, new Query(), body, Map.of());
    }

    JsonNode send(String method, String path, Query query, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder rb = request(path, query).timeout(requestTimeout);
        headers.forEach(rb::header);
        if (body != null) {
            rb.header("Content-Type", "application/json");
            rb.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = exchange(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] bytes = response.body();
        if (response.statusCode() >= 400) {
            throw error(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
        }
        if (bytes.length == 0) {
            return Wire.MAPPER.createObjectNode();
        }
        try {
            return Wire.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MyelinConnectionException(method + " " + path + ": response is not JSON", e);
        }
    }

    /**
     * Opens a streaming GET. The caller owns (and must close) the returned body. Error statuses throw after
     * reading the (small) error body.
     */
    InputStream openStream(String path, Query query, Duration headersTimeout) {
        HttpRequest req = request(path, query).timeout(headersTimeout).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw error(response.statusCode(), body);
        }
        return response.body();
    }

    void close() {
        http.shutdownNow();
    }

    private HttpRequest.Builder request(String path, Query query) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path + query)).header("Accept", "application/json");
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        return rb;
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (HttpTimeoutException e) {
            throw new MyelinConnectionException(req.method() + " " + req.uri() + " timed out", e);
        } catch (IOException e) {
            throw new MyelinConnectionException("cannot reach " + base + " (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinConnectionException(req.method() + " " + req.uri() + " interrupted", e);
        } catch (IllegalStateException e) {
            // HttpClient refuses new requests once shut down.
            throw new MyelinConnectionException("client is closed", e);
        }
    }

    /** The most specific message in the cause chain: HttpClient often wraps "Connection refused" message-less. */
    private static String reason(Throwable e) {
        String why = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                why = t.getMessage();
            } else if (why == null && t instanceof java.net.ConnectException) {
                why = "connection refused";
            }
        }
        return why == null ? e.getClass().getSimpleName() : why;
    }

    /** Reads the wire error {@code {"error":{"type","message","field"}}}, tolerating bodies that are not. */
    static MyelinApiException error(int status, String body) {
        String type = "http_" + status;
        String message = body.isBlank() ? "HTTP " + status : body.strip();
        String field = null;
        try {
            JsonNode err = Wire.MAPPER.readTree(body).path("error");
            if (err.isObject()) {
                type = err.path("type").asText(type);
                message = err.path("message").asText(message);
                JsonNode f = err.get("field");
                field = f == null || f.isNull() ? null : f.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the raw text as the message
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        return MyelinApiException.of(status, type, message, field);
    }
}
