package io.myelin.server.routes;

import com.fasterxml.jackson.core.JsonGenerator;
import io.myelin.server.http.Json;
import io.myelin.stream.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Frames server-sent events onto one response. Jetty allows one write in flight per response, so every write
 * here blocks (parking the stream's virtual thread) until the previous one is done.
 *
 * <p><b>Memory.</b> Frames are encoded into one buffer of at most {@value #CHUNK_BYTES} bytes, written out whenever
 * it fills, also in the middle of an event: a stream costs that buffer (and the page of events it is writing)
 * whatever the size of one event, even one whose payload of control characters is six times its stored size once
 * escaped. The buffer starts at 256 bytes and shrinks back after a large batch, so ten thousand idle streams do not
 * each keep a replay-sized one.
 *
 * <p>Threading: confined to the stream's thread.
 */
final class SseWriter {
    /** The most this writer holds of encoded frames at once. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Its JSON generator's own buffers (Jackson's default char and byte buffers), counted with the chunk. */
    static final int HELD_BYTES = CHUNK_BYTES + 16 * 1024;

    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SMALL_BYTES = 256;
    private static final int KEEP_BYTES = 4096;

    private final Response response;
    private final ChunkOut out = new ChunkOut();

    SseWriter(Response response) {
        this.response = response;
    }

    /**
     * Frames a batch of events through one JSON generator, writing the fields directly: a replay frames
     * hundreds of thousands of events, and a generator plus a bean serializer per event would dominate it.
     */
    void events(List<Event> events) throws IOException {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (Event e : events) {
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
        out.send();
    }

    void comment(String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.send();
    }

    /** An {@code event: error} frame with {@code {"code": status, "message": ...}}: the Runloop SDK's error signal. */
    void error(int code, String message) throws IOException {
        out.write("event: error\ndata: ".getBytes(StandardCharsets.US_ASCII));
        out.write(Json.MAPPER.writeValueAsBytes(Map.of("code", code, "message", message)));
        out.write(END);
        out.send();
    }

    /** Ends the response; completes {@code done} when the last bytes are out. */
    void end(Callback done) {
        response.write(true, ByteBuffer.allocate(0), done);
    }

    /**
     * A bounded frame buffer that writes itself to the response when full. {@code close} (the generator's, at the
     * end of a batch) keeps the bytes; {@link #send} writes them.
     */
    private final class ChunkOut extends OutputStream {
        private byte[] buf = new byte[SMALL_BYTES];
        private int count;

        @Override
        public void write(int b) throws IOException {
            if (count == CHUNK_BYTES) {
                writeOut();
            }
            ensure(count + 1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (count == CHUNK_BYTES) {
                    writeOut();
                }
                int n = Math.min(len, CHUNK_BYTES - count);
                ensure(count + n);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() {
            // the generator closes its target at the end of each batch; the stream goes on
        }

        /** Writes what is buffered, then shrinks a buffer that grew past what an idle stream should keep. */
        void send() throws IOException {
            writeOut();
            if (buf.length > KEEP_BYTES) {
                buf = new byte[SMALL_BYTES];
            }
        }

        private void ensure(int size) {
            if (size > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(CHUNK_BYTES, Math.max(size, 2 * buf.length)));
            }
        }

        private void writeOut() throws IOException {
            if (count == 0) {
                return;
            }
            // The write blocks until Jetty is done with the bytes, so the array can be lent without a copy.
            try (Blocker.Callback cb = Blocker.callback()) {
                response.write(false, ByteBuffer.wrap(buf, 0, count), cb);
                cb.block();
            }
            count = 0;
        }
    }
}
