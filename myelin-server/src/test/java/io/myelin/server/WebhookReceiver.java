package io.myelin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.myelin.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/**
 * A webhook receiver on loopback (the JDK's HTTP server, a virtual thread per request): records every request it gets
 * and answers with the status {@link #answer} decides, which may also block (a receiver that holds a request).
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its Standard Webhooks headers, every header (lower-case names) and its body. */
    record Received(String path, String id, String timestamp, String signature, Map<String, List<String>> headers,
                    String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long sequence() {
            return json().get("data").get("sequence").asLong();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Received> answer = r -> 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                Map<String, List<String>> headers = new java.util.TreeMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
                Received r = new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("webhook-id"),
                        ex.getRequestHeaders().getFirst("webhook-timestamp"),
                        ex.getRequestHeaders().getFirst("webhook-signature"), headers,
                        new String(body, StandardCharsets.UTF_8));
                received.add(r);
                int status = answer.applyAsInt(r);
                if (status / 100 == 3) {
                    ex.getResponseHeaders().add("Location", url("/redirected"));
                }
                ex.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Sets how requests from now on are answered. */
    void answer(ToIntFunction<Received> answer) {
        this.answer = answer;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests whose path is {@code path}. */
    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code n} requests reached {@code path}, and returns them. */
    List<Received> await(String path, int n) {
        return Await.until(n + " requests to " + path, Duration.ofSeconds(60), () -> received(path),
                l -> l.size() >= n);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
