package io.myelin.bench.http;

import java.util.Map;

/**
 * Status line and headers of an HTTP/1.1 response. Header names are lower-cased; repeated
 * headers keep the last value, which is enough for the headers a load generator looks at.
 */
public record ResponseHead(int status, String reason, Map<String, String> headers) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Declared body length, or -1 when the body is chunked or runs until close. */
    public long contentLength() {
        String v = header("content-length");
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    public boolean chunked() {
        String v = header("transfer-encoding");
        return v != null && v.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    /** HTTP/1.1 connections persist unless the server says otherwise. */
    public boolean keepAlive() {
        String v = header("connection");
        return v == null || !v.equalsIgnoreCase("close");
    }

    /** A response without a length that is not chunked is delimited by the connection closing. */
    public boolean bodyUntilClose() {
        return !chunked() && contentLength() < 0 && status != 204 && status != 304 && status >= 200;
    }
}
