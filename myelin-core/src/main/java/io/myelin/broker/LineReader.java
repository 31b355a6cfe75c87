package io.myelin.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-terminated lines of at most {@code maxBytes} bytes from an agent's stream, decoding UTF-8 (malformed
 * bytes become U+FFFD). A longer line is not held in memory: it is skipped up to its newline and reported by its
 * length, so an agent cannot make the broker buffer without bound.
 *
 * <p>Threading: one reader thread.
 */
final class LineReader {
    /** What {@link #next} read. */
    sealed interface Read permits Line, Overlong, End {}

    record Line(String text) implements Read {}

    /** A line longer than the limit, skipped. */
    record Overlong(long bytes) implements Read {}

    /** The stream ended (a last line without a newline was returned before this). */
    record End() implements Read {}

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    Read next() throws IOException {
        line.reset();
        long skipped = -1; // >= 0 while skipping an overlong line
        while (true) {
            if (pos == limit) {
                int n = in.read(buf);
                if (n < 0) {
                    if (skipped >= 0) {
                        return new Overlong(skipped);
                    }
                    return line.size() > 0 ? decode() : new End();
                }
                pos = 0;
                limit = n;
            }
            int nl = pos;
            while (nl < limit && buf[nl] != '\n') {
                nl++;
            }
            int chunk = nl - pos;
            if (skipped >= 0) {
                skipped += chunk;
            } else if (line.size() + chunk > maxBytes) {
                skipped = line.size() + (long) chunk;
                line.reset();
            } else {
                line.write(buf, pos, chunk);
            }
            pos = nl;
            if (nl < limit) {
                pos++; // the newline
                return skipped >= 0 ? new Overlong(skipped) : decode();
            }
        }
    }

    private Line decode() {
        String s = line.toString(StandardCharsets.UTF_8);
        return new Line(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
    }
}
