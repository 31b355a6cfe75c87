package io.myelin.bench.http;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One persistent HTTP/1.1 connection, one request at a time.
 *
 * <p>The bench uses this instead of {@code java.net.http.HttpClient} because on a two-core box the
 * generator must cost far less CPU than the server it measures: no pools, no async machinery,
 * a single write per request and a reused read buffer. A connection the server closes is
 * reopened transparently on the next request.
 */
public final class HttpConnection implements Closeable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Endpoint endpoint;
    private Socket socket;
    private OutputStream out;
    private HttpInput in;
    private long reconnects;

    public HttpConnection(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    private void ensureOpen() throws IOException {
        if (socket != null) return;
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        in = new HttpInput(s.getInputStream());
    }

    public HttpResponse get(String path) throws IOException {
        return request("GET", path, null, Map.of());
    }

    public HttpResponse postJson(String path, byte[] json) throws IOException {
        return request("POST", path, json, Map.of());
    }

    public HttpResponse request(String method, String path, byte[] body, Map<String, String> extraHeaders)
            throws IOException {
        ensureOpen();
        try {
            writeRequest(method, path, body, extraHeaders);
            HttpResponse response = HttpResponseReader.read(in);
            if (!response.head().keepAlive()) closeQuietly();
            return response;
        } catch (IOException e) {
            // The socket state is unknown after a failure: never reuse it.
            closeQuietly();
            reconnects++;
            throw e;
        }
    }

    private void writeRequest(String method, String path, byte[] body, Map<String, String> extraHeaders)
            throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.hostHeader()).append("\r\n");
        if (endpoint.authorization() != null) head.append("Authorization: ").append(endpoint.authorization()).append("\r\n");
        for (var h : extraHeaders.entrySet()) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
        if (body != null) out.write(body);
        out.flush();
    }

    /** How often a request failed on this connection (each failure drops the socket). */
    public long failures() {
        return reconnects;
    }

    private void closeQuietly() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
