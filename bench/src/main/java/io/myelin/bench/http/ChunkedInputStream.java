package io.myelin.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a chunked transfer-coded body as it arrives. SSE responses are chunked and never
 * end, so the body has to be consumed incrementally rather than collected first.
 */
public final class ChunkedInputStream extends InputStream {
    private final HttpInput in;
    private long remainingInChunk;
    /** The CRLF after a chunk's data is consumed lazily, so a read never waits on it. */
    private boolean crlfPending;
    private boolean finished;

    public ChunkedInputStream(HttpInput in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (finished) return -1;
        if (len == 0) return 0;
        if (remainingInChunk == 0) {
            if (!nextChunk()) return -1;
        }
        int n = in.read(dst, off, (int) Math.min(len, remainingInChunk));
        if (n < 0) throw new EOFException("stream ended inside a chunk");
        remainingInChunk -= n;
        if (remainingInChunk == 0) crlfPending = true;
        return n;
    }

    private boolean nextChunk() throws IOException {
        if (crlfPending) {
            expectCrlf();
            crlfPending = false;
        }
        String sizeLine = in.readLine();
        if (sizeLine == null) throw new EOFException("stream ended before a chunk size");
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
            // Trailers, if any, end with an empty line.
            String trailer;
            while ((trailer = in.readLine()) != null && !trailer.isEmpty()) {
                // ignored
            }
            finished = true;
            return false;
        }
        remainingInChunk = size;
        return true;
    }

    private void expectCrlf() throws IOException {
        String rest = in.readLine();
        if (rest == null) throw new EOFException("stream ended after chunk data");
        if (!rest.isEmpty()) throw new IOException("chunk not followed by CRLF");
    }
}
