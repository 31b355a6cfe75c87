package io.myelin.bench.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cleartext HTTP/2 with prior knowledge (h2c, as the Runloop Node SDK speaks it) over a few connections, for
 * workloads that hold more requests at once than the server accepts connections: each request is a stream, and
 * the server allows {@value #STREAMS_PER_SESSION} (it advertises 1024) at once per connection. GET only; the answer
 * is read whole. Thread-safe.
 */
public final class H2Client implements AutoCloseable {
    /** Streams this client puts on one connection at most: the server's 1024, less room for slack. */
    public static final int STREAMS_PER_SESSION = 1000;

    /**
     * A whole answer, or the failure that ended the stream; {@code nanos} is {@link System#nanoTime} at its end,
     * {@code retryAfterMs} what the server asked a retry to wait ({@code Retry-After-Ms}, else {@code Retry-After}
     * seconds), -1 when it did not say.
     */
    public record Answer(int status, long retryAfterMs, byte[] body, long nanos, Throwable failure) {
        public boolean ok() {
            return failure == null && status >= 200 && status < 300;
        }
    }

    private final Endpoint endpoint;
    private final HTTP2Client client;
    private final List<Session> sessions;
    private final AtomicInteger next = new AtomicInteger();

    private H2Client(Endpoint endpoint, HTTP2Client client, List<Session> sessions) {
        this.endpoint = endpoint;
        this.client = client;
        this.sessions = sessions;
    }

    /** Opens enough connections for {@code streams} requests at once; waits at most {@code timeout} for each. */
    public static H2Client connect(Endpoint endpoint, int streams, Duration idleTimeout, Duration timeout)
            throws Exception {
        HTTP2Client client = new HTTP2Client();
        client.setIdleTimeout(idleTimeout.toMillis());
        client.setStreamIdleTimeout(idleTimeout.toMillis());
        client.start();
        List<Session> sessions = new ArrayList<>();
        try {
            int count = Math.max(1, (streams + STREAMS_PER_SESSION - 1) / STREAMS_PER_SESSION);
            for (int i = 0; i < count; i++) {
                sessions.add(client.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), new Session.Listener() {})
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        } catch (Exception e) {
            client.stop();
            throw e;
        }
        return new H2Client(endpoint, client, List.copyOf(sessions));
    }

    public int sessions() {
        return sessions.size();
    }

    /** Sends {@code GET path} on the next connection in turn; the future completes with the whole answer. */
    public CompletableFuture<Answer> get(String path) {
        HttpFields.Mutable fields = HttpFields.build();
        if (endpoint.authorization() != null) fields.put(HttpHeader.AUTHORIZATION, endpoint.authorization());
        MetaData.Request request = new MetaData.Request("GET",
                HttpURI.from("http://" + endpoint.hostHeader() + path), HttpVersion.HTTP_2, fields);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Session session = sessions.get(Math.floorMod(next.getAndIncrement(), sessions.size()));
        session.newStream(new HeadersFrame(request, null, true), new Reader(answer))
                .whenComplete((stream, failure) -> {
                    if (failure != null) answer.complete(new Answer(0, -1, new byte[0], System.nanoTime(), failure));
                });
        return answer;
    }

    /** Collects one stream's answer. Jetty calls it on its own threads, one event at a time per stream. */
    private static final class Reader implements Stream.Listener {
        private final CompletableFuture<Answer> answer;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        private int status;
        private long retryAfterMs = -1;

        Reader(CompletableFuture<Answer> answer) {
            this.answer = answer;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response r) {
                status = r.getStatus();
                retryAfterMs = retryAfterMs(r.getHttpFields());
            }
            if (frame.isEndStream()) {
                finish();
            } else {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            while (true) {
                Stream.Data data = stream.readData();
                if (data == null) {
                    stream.demand();
                    return;
                }
                ByteBuffer buffer = data.frame().getByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.writeBytes(bytes);
                boolean last = data.frame().isEndStream();
                data.release();
                if (last) {
                    finish();
                    return;
                }
            }
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            fail(new IOException("stream reset by the server, error code " + frame.getError()));
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            fail(failure != null ? failure : new IOException("stream failed: " + reason));
            callback.succeeded();
        }

        private static long retryAfterMs(HttpFields fields) {
            try {
                String ms = fields.get("Retry-After-Ms");
                if (ms != null) return Long.parseLong(ms.trim());
                String seconds = fields.get(HttpHeader.RETRY_AFTER);
                return seconds == null ? -1 : Long.parseLong(seconds.trim()) * 1000;
            } catch (NumberFormatException e) {
                return -1; // an HTTP date, or garbage: the caller's default applies
            }
        }

        private void finish() {
            answer.complete(new Answer(status, retryAfterMs, body.toByteArray(), System.nanoTime(), null));
        }

        private void fail(Throwable t) {
            answer.complete(new Answer(status, retryAfterMs, body.toByteArray(), System.nanoTime(), t));
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
