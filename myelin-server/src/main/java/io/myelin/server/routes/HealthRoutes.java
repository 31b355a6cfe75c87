package io.myelin.server.routes;

import io.myelin.auth.Action;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Liveness ({@code /healthz}, public), readiness ({@code /readyz}, public) and Prometheus metrics.
 *
 * <p>{@code /readyz} answers 200 {@code {"status":"ready"}}, or 503 {@code {"status":"not_ready","reason":"..."}}
 * while the server is starting or stopping, or cannot write ({@link io.myelin.storage.StorageHealth}).
 */
public final class HealthRoutes {
    private final Supplier<String> notReady;
    private final String version;
    private final PrometheusMeterRegistry metrics;

    /** @param notReady why the server cannot take traffic now, or null when it can; called on every probe */
    public HealthRoutes(Supplier<String> notReady, String version, PrometheusMeterRegistry metrics) {
        this.notReady = notReady;
        this.version = version;
        this.metrics = metrics;
    }

    public void register(Router r) {
        r.publicRoute("GET", "/healthz", ex -> ex.ok(Map.of("status", "ok", "version", version)));
        r.publicRoute("GET", "/readyz", this::readyz);
        r.route("GET", "/metrics", Action.SERVER_METRICS, this::metrics);
    }

    private void readyz(Exchange ex) throws Exception {
        String reason = notReady.get();
        if (reason == null) {
            ex.send(200, Map.of("status", "ready"));
            return;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "not_ready");
        body.put("reason", reason);
        ex.send(503, body);
    }

    private void metrics(Exchange ex) {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.response().setStatus(200);
        ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.response().write(true, ByteBuffer.wrap(body), ex.callback());
    }

}
