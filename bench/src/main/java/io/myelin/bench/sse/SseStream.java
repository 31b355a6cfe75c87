package io.myelin.bench.sse;

import io.myelin.bench.http.ChunkedInputStream;
import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpInput;
import io.myelin.bench.http.HttpResponseReader;
import io.myelin.bench.http.ResponseHead;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A subscription read straight off a socket: request, response head, then events one by one.
 * Buffers are sized by the caller so that ten thousand idle streams stay cheap.
 */
public final class SseStream implements Closeable {
    private final Socket socket;
    private final HttpInput lines;
    private final SseParser parser = new SseParser();

    private SseStream(Socket socket, HttpInput lines) {
        this.socket = socket;
        this.lines = lines;
    }

    /**
     * Opens {@code path} (e.g. {@code /v1/axons/ID/subscribe/sse?after_sequence=0}) and returns
     * once the server has answered 200.
     */
    public static SseStream open(Endpoint endpoint, String path, int bufferSize) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 30_000);
            StringBuilder req = new StringBuilder(200)
                    .append("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(endpoint.hostHeader()).append("\r\n")
                    .append("Accept: text/event-stream\r\n");
            if (endpoint.authorization() != null) req.append("Authorization: ").append(endpoint.authorization()).append("\r\n");
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            HttpInput in = new HttpInput(socket.getInputStream(), bufferSize);
            ResponseHead head = HttpResponseReader.readHead(in);
            if (head.status() != 200) {
                String body = new String(HttpResponseReader.readBody(in, head), StandardCharsets.UTF_8);
                throw new SseOpenException(head.status(), body);
            }
            HttpInput lines = head.chunked() ? new HttpInput(new ChunkedInputStream(in), bufferSize) : in;
            return new SseStream(socket, lines);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Blocks until the next event; {@code null} when the server closed the stream. */
    public SseEvent next() throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            SseEvent event = parser.accept(line);
            if (event != null) return event;
        }
        return null;
    }

    public long heartbeats() {
        return parser.comments();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
