package io.myelin.bench.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.http.HttpResponse;
import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.workload.AxonClient;
import io.myelin.bench.workload.EventBodies;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook deliveries per second to a receiver on loopback in this process (the JDK's HTTP server, answering 204):
 * for each number of webhooks, create them on one axon, publish {@code events} events in batches as fast as the
 * server takes them, and time until the receiver has had every delivery of every webhook. Each webhook's deliveries go
 * out one at a time in order (the server's rule), so one webhook is bound by one round trip plus the durable write of
 * its outcome per delivery; more webhooks run in parallel (up to {@code webhooks.max-concurrent-attempts}) and share
 * the writer's group commits. The server must allow private targets ({@code webhooks.allow-private-targets}).
 */
public final class WebhookWorkload {
    public record Settings(Endpoint endpoint, int events, List<Integer> webhooks, int batchSize, int payloadBytes,
                           long deadlineSeconds) {}

    /** One run's figures. */
    public record Result(int webhooks, int events, double publishSeconds, double deliverSeconds, long received) {
        double deliveriesPerSecond() {
            return received / deliverSeconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookWorkload() {}

    public static void run(Settings s, PrintStream out) throws Exception {
        AtomicLong received = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                received.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        Table t = new Table("webhooks", "events", "deliveries", "publish s", "delivered after s", "deliveries/s");
        try {
            for (int n : s.webhooks()) {
                received.set(0);
                Result r = once(s, url, n, received, out);
                t.row(r.webhooks(), r.events(), r.received(), r.publishSeconds(), r.deliverSeconds(),
                        String.format("%,.0f", r.deliveriesPerSecond()));
                new ResultLine("webhooks").put("webhooks", r.webhooks()).put("events", r.events())
                        .put("deliveries", r.received()).put("publish_seconds", r.publishSeconds())
                        .put("deliver_seconds", r.deliverSeconds()).put("deliveries_per_s", r.deliveriesPerSecond())
                        .print(out);
            }
        } finally {
            receiver.stop(0);
        }
        out.println();
        out.println("Webhook deliveries to a loopback receiver (each delivery: one signed POST, its outcome committed)");
        t.print(out);
    }

    /**
     * One level. The connection that published is closed before the wait: the server closes connections idle for
     * {@code http.header-timeout}, and the deletes afterwards go over a new one.
     */
    private static Result once(Settings s, String url, int webhooks, AtomicLong received, PrintStream out)
            throws Exception {
        HttpConnection http = new HttpConnection(s.endpoint());
        AxonClient client = new AxonClient(http);
        String axon = client.createAxon("bench-webhooks-" + webhooks);
        String[] ids = new String[webhooks];
        for (int i = 0; i < webhooks; i++) {
            HttpResponse r = http.postJson("/v1/webhooks", JSON.writeValueAsBytes(Map.of("url", url + i,
                    "event_types", List.of("bench"), "axon_id", axon)));
            if (r.status() != 201) {
                throw new IOException("create webhook: " + r.status() + " " + r.bodyText()
                        + " (does the server allow private targets? MYELIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true)");
            }
            ids[i] = JSON.readTree(r.body()).path("id").asText();
        }
        out.printf("webhooks: %d webhook(s), publishing %,d events in batches of %d%n", webhooks, s.events(), s.batchSize());
        byte[] batch = EventBodies.batch(EventBodies.filler(s.payloadBytes()), s.batchSize());
        long start = System.nanoTime();
        for (int sent = 0; sent < s.events(); sent += s.batchSize()) {
            client.publishBatchUnchecked(axon, batch);
        }
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        http.close();
        long expected = (long) webhooks * ((s.events() + s.batchSize() - 1) / s.batchSize()) * s.batchSize();
        long deadline = start + TimeUnit.SECONDS.toNanos(s.deadlineSeconds());
        while (received.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + received.get() + " of " + expected + " deliveries within "
                        + s.deadlineSeconds() + " s");
            }
            Thread.sleep(1); // polls the receiver's count: the figure's resolution is 1 ms
        }
        double deliverSeconds = (System.nanoTime() - start) / 1e9;
        try (HttpConnection cleanup = new HttpConnection(s.endpoint())) {
            for (String id : ids) {
                cleanup.request("DELETE", "/v1/webhooks/" + id, null, Map.of());
            }
        }
        return new Result(webhooks, (int) (expected / webhooks), publishSeconds, deliverSeconds, received.get());
    }
}
