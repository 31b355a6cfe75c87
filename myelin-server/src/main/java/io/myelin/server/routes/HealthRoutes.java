package io.myelin.server.routes;

import io.myelin.auth.Action;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;

/** Liveness ({@code /healthz}, public), readiness ({@code /readyz}, public) and Prometheus metrics. */
public final class HealthRoutes {
    private final BooleanSupplier ready;
    private final String version;
    private final PrometheusMeterRegistry metrics;

    public HealthRoutes(BooleanSupplier ready, String version, PrometheusMeterRegistry metrics) {
        this.ready = ready;
        this.version = version;
        this.metrics = metrics;
    }

    public void register(Router r) {
        r.publicRoute("GET", "/healthz", ex -> ex.ok(Map.of("status", "ok", "version", version)));
        r.publicRoute("GET", "/readyz", this::readyz);
        r.route("GET", "/metrics", Action.SERVER_METRICS, this::metrics);
    }

    private void readyz(Exchange ex) throws Exception {
        boolean ok = ready.getAsBoolean();
        ex.send(ok ? 200 : 503, Map.of("status", ok ? "ready" : "not_ready"));
    }

    private void metrics(Exchange ex) {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.response().setStatus(200);
        ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.response().write(true, ByteBuffer.wrap(body), ex.callback());
    }

}
