package io.myelin.server.routes;

import com.fasterxml.jackson.core.JsonGenerator;
import io.myelin.server.http.Json;
import io.myelin.stream.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Frames server-sent events onto one response. Jetty allows one write in flight per response, so every write
 * here blocks (parking the stream's virtual thread) until the previous one is done; a batch of events is framed
 * into one buffer and written once.
 *
 * <p>Threading: confined to the stream's thread.
 */
final class SseWriter {
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final int KEEP_BYTES = 4096;
    private static final int FLUSH_BYTES = 64 * 1024;

    private final Response response;
    // Small to start and shrunk after a large flush: ten thousand idle streams must not each hold a replay-sized buffer.
    private FrameBuffer buffer = new FrameBuffer();

    SseWriter(Response response) {
        this.response = response;
    }

    /**
     * Frames a batch of events through one JSON generator, writing the fields directly: a replay frames
     * hundreds of thousands of events, and a generator plus a bean serializer per event would dominate it. The
     * framed bytes are written whenever they pass {@value #FLUSH_BYTES}, so a page of large events never needs a
     * buffer of its own size (a megabyte payload of control characters is six once escaped).
     */
    void events(List<Event> events) throws IOException {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(buffer)) {
            g.setRootValueSeparator(null);
            for (Event e : events) {
                if (buffer.size() > FLUSH_BYTES) {
                    g.flush();
                    write(); // the generator keeps writing into this buffer: empty it, do not replace it
                    buffer.reset();
                }
                g.writeRaw("id: ");
                g.writeRaw(Long.toString(e.sequence()));
                g.writeRaw("\ndata: ");
                g.writeStartObject();
                g.writeStringField("axon_id", e.axonId());
                g.writeNumberField("sequence", e.sequence());
                g.writeStringField("event_type", e.eventType());
                g.writeStringField("origin", e.origin().name());
                g.writeStringField("source", e.source());
                g.writeStringField("payload", e.payload());
                g.writeNumberField("timestamp_ms", e.timestampMs());
                g.writeEndObject();
                g.writeRaw("\n\n");
            }
        }
        flush();
    }

    void comment(String text) throws IOException {
        buffer.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /** An {@code event: error} frame with {@code {"code": status, "message": ...}}: the Runloop SDK's error signal. */
    void error(int code, String message) throws IOException {
        buffer.write("event: error\ndata: ".getBytes(StandardCharsets.US_ASCII));
        Json.MAPPER.writeValue(buffer, Map.of("code", code, "message", message));
        buffer.write(END);
        flush();
    }

    private void flush() throws IOException {
        write();
        if (buffer.size() > KEEP_BYTES) {
            buffer = new FrameBuffer();
        } else {
            buffer.reset();
        }
    }

    private void write() throws IOException {
        // The write blocks until Jetty is done with the bytes, so the buffer's array can be lent without a copy.
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, buffer.view(), cb);
            cb.block();
        }
    }

    /** A byte buffer whose filled part can be handed to Jetty as is. */
    private static final class FrameBuffer extends ByteArrayOutputStream {
        FrameBuffer() {
            super(256);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** Ends the response; completes {@code done} when the last bytes are out. */
    void end(Callback done) {
        response.write(true, ByteBuffer.allocate(0), done);
    }
}
