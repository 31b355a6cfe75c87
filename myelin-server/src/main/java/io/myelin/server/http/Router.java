package io.myelin.server.http;

import io.myelin.auth.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps (method, path) to a {@link Route}. Patterns are literal segments and {@code {name}} captures, e.g.
 * {@code /v1/axons/{id}/events}. A path that matches some pattern under another method yields the allowed
 * methods, so the caller can answer 405 instead of 404.
 */
public final class Router {
    private record Entry(String method, String pattern, String[] segments, Route route, Action action) {}

    /**
     * A registered route as declared: what a table-driven test needs to reach every route.
     *
     * @param action what it performs; null for a public route
     */
    public record Declared(String method, String pattern, Action action) {}

    /**
     * The outcome of a lookup: a route with its captures and the action it performs (null: public), or the methods
     * the path would accept (maybe none).
     */
    public record Match(Route route, Map<String, String> params, Action action, Set<String> allowed) {}

    private final List<Entry> entries = new ArrayList<>();

    /**
     * An authenticated route. The request's key must be allowed {@code action} (on the axon named by the
     * {@code {id}} capture, when the pattern has one) before {@code route} runs.
     */
    public Router route(String method, String pattern, Action action, Route route) {
        entries.add(new Entry(method, pattern, split(pattern), route, java.util.Objects.requireNonNull(action)));
        return this;
    }

    /** A route that needs no API key (health checks only). */
    public Router publicRoute(String method, String pattern, Route route) {
        entries.add(new Entry(method, pattern, split(pattern), route, null));
        return this;
    }

    /** Every route, in registration order. */
    public List<Declared> routes() {
        return entries.stream().map(e -> new Declared(e.method, e.pattern, e.action)).toList();
    }

    /**
     * The route for {@code method} on {@code path}. {@code HEAD} is served by the {@code GET} route of the path (RFC
     * 9110 §9.3.2: the same header fields, no content; Jetty sends no body for a HEAD request), and is allowed wherever
     * {@code GET} is.
     */
    public Match match(String method, String path) {
        String[] parts = split(path);
        String as = method.equals("HEAD") ? "GET" : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry e : entries) {
            Map<String, String> params = capture(e.segments, parts);
            if (params == null) {
                continue;
            }
            if (e.method.equals(as)) {
                return new Match(e.route, params, e.action, Set.of());
            }
            allowed.add(e.method);
            if (e.method.equals("GET")) {
                allowed.add("HEAD");
            }
        }
        return new Match(null, Map.of(), null, allowed);
    }

    private static Map<String, String> capture(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new java.util.HashMap<>(2);
                }
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.split("/", -1);
    }
}
