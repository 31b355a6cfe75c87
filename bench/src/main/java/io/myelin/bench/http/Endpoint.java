package io.myelin.bench.http;

import java.net.URI;

/** Where the server listens and the {@code Authorization} header value to send, if any. */
public record Endpoint(String host, int port, String authorization) {

    /** Parses {@code http://host:port}; only plain HTTP over loopback is in scope for the bench. */
    public static Endpoint of(String url, String key) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme())) throw new IllegalArgumentException("only http:// URLs are supported: " + url);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        return new Endpoint(uri.getHost(), port, key == null || key.isEmpty() ? null : "Bearer " + key);
    }

    public String hostHeader() {
        return host + ":" + port;
    }
}
