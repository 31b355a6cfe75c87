package io.myelin.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reader over a socket stream that can switch between header lines and raw bytes.
 *
 * <p>{@link java.io.BufferedReader} cannot be used because it would swallow body bytes into its
 * char buffer; HTTP needs CRLF lines for the head and exact byte counts for the body.
 */
public final class HttpInput {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    public HttpInput(InputStream in) {
        this(in, 64 * 1024);
    }

    public HttpInput(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    private boolean fill() throws IOException {
        if (pos < limit) return true;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    /**
     * Reads one line terminated by LF (a preceding CR is dropped), decoded as UTF-8.
     *
     * @return the line, or {@code null} at end of stream before any byte of a line
     */
    public String readLine() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        while (true) {
            if (!fill()) {
                if (accLen == 0) return null;
                return decodeLine(acc, accLen);
            }
            int start = pos;
            int i = start;
            while (i < limit && buf[i] != '\n') i++;
            if (i < limit) {
                pos = i + 1;
                if (acc == null) return decodeLine(buf, start, i - start);
                acc = append(acc, accLen, buf, start, i - start);
                accLen += i - start;
                return decodeLine(acc, accLen);
            }
            acc = append(acc, accLen, buf, start, limit - start);
            accLen += limit - start;
            pos = limit;
        }
    }

    private static byte[] append(byte[] acc, int accLen, byte[] src, int off, int len) {
        if (acc == null) acc = new byte[Math.max(256, len * 2)];
        if (accLen + len > acc.length) {
            byte[] bigger = new byte[Math.max(acc.length * 2, accLen + len)];
            System.arraycopy(acc, 0, bigger, 0, accLen);
            acc = bigger;
        }
        System.arraycopy(src, off, acc, accLen, len);
        return acc;
    }

    private static String decodeLine(byte[] b, int len) {
        return decodeLine(b, 0, len);
    }

    private static String decodeLine(byte[] b, int off, int len) {
        if (len > 0 && b[off + len - 1] == '\r') len--;
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** Reads up to {@code len} bytes, like {@link InputStream#read(byte[], int, int)}. */
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Reads exactly {@code n} bytes or throws {@link EOFException}. */
    public byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            int r = read(out, done, n - done);
            if (r < 0) throw new EOFException("stream ended after " + done + " of " + n + " body bytes");
            done += r;
        }
        return out;
    }

    /** Skips exactly {@code n} bytes without allocating them. */
    public void skipExactly(long n) throws IOException {
        while (n > 0) {
            if (!fill()) throw new EOFException("stream ended while skipping " + n + " bytes");
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
    }

    /** Reads everything until end of stream (bodies delimited by connection close). */
    public byte[] readToEnd() throws IOException {
        byte[] acc = new byte[0];
        int len = 0;
        byte[] chunk = new byte[8192];
        int r;
        while ((r = read(chunk, 0, chunk.length)) > 0) {
            acc = append(acc.length == 0 ? null : acc, len, chunk, 0, r);
            len += r;
        }
        byte[] out = new byte[len];
        if (len > 0) System.arraycopy(acc, 0, out, 0, len);
        return out;
    }
}
