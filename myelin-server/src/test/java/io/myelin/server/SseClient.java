package io.myelin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads one SSE response on a background thread into a queue of frames, for tests of the server's wire format. The
 * Java client has the product's SSE parser, but this module's tests cannot depend on the client (its tests depend on
 * the server; see {@code io.myelin.testkit}), and a check of the wire is better not written by the code it checks.
 * The stream ends with {@link #END} when the server ended the response, or {@link #BROKEN} when the connection failed
 * before the end.
 */
public final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One SSE frame: {@code event} is null for plain data frames; comments are not reported. */
    public record Frame(String event, String id, String data) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The server ended the response (the last chunk arrived). */
    public static final Frame END = new Frame("<end>", null, null);
    /** The connection failed before the response ended (reset, or closed in the middle of the body). */
    public static final Frame BROKEN = new Frame("<broken>", null, null);

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    public SseClient(TestServer server, String path) throws IOException, InterruptedException {
        this(server, server.request(path).header("Accept", "text/event-stream").GET().build());
    }

    public SseClient(TestServer server, HttpRequest request) throws IOException, InterruptedException {
        this.response = server.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Comment lines (heartbeats, the opening comment) seen so far. */
    public int comments() {
        return comments.get();
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    private void read() {
        Frame last = END;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null, id = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new Frame(event, id, data.toString()));
                    }
                    event = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (IOException e) {
            last = BROKEN; // or closed by close(); nobody reads the queue then
        } finally {
            frames.add(last);
        }
    }

    /** The next frame, or null after {@code millis} without one. */
    public Frame next(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
        reader.interrupt();
    }
}
