package io.myelin.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/**
 * A webhook receiver on loopback (the JDK's HTTP server, a virtual thread per request): records every request it gets
 * and answers with the status {@link #answer} decides, which may also block (a receiver that holds a request).
 * Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its Standard Webhooks headers, every header (lower-case names) and its body. */
    public record Received(String path, String id, String timestamp, String signature, Map<String, List<String>> headers,
                           String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public long sequence() {
            return json().get("data").get("sequence").asLong();
        }

        /**
         * Checks the signature and timestamp with the Standard Webhooks reference library, as a receiver would.
         *
         * @param secret the webhook's {@code whsec_...} secret
         * @throws Exception (the library's {@code WebhookVerificationException}) when either is wrong
         */
        public void verify(String secret) throws Exception {
            new Webhook(secret).verify(body, HttpHeaders.of(headers, (a, b) -> true));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Received> answer = r -> 200;

    /** Listens on a free loopback port until {@link #close()}. */
    public WebhookReceiver() throws IOException {
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

    /** {@code http://127.0.0.1:PORT} + {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Sets how requests from now on are answered. */
    public void answer(ToIntFunction<Received> answer) {
        this.answer = answer;
    }

    /** Answers 500 to the first {@code failures} attempts of each message (by {@code webhook-id}), then 200. */
    public static ToIntFunction<Received> failFirst(int failures) {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        return r -> seen.merge(r.id(), 1, Integer::sum) <= failures ? 500 : 200;
    }

    /** Every request so far, in arrival order. */
    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests whose path is {@code path}. */
    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code n} requests reached {@code path}, and returns them. */
    public List<Received> await(String path, int n) {
        return Await.until(n + " requests to " + path, Duration.ofSeconds(60), () -> received(path),
                l -> l.size() >= n);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
