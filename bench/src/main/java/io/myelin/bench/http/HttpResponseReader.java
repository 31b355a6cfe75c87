package io.myelin.bench.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Parses HTTP/1.1 responses: status line, headers, and a body framed by length, chunks or close. */
public final class HttpResponseReader {
    private HttpResponseReader() {}

    public static ResponseHead readHead(HttpInput in) throws IOException {
        String statusLine = in.readLine();
        // Tolerate stray blank lines between pipelined responses, as RFC 9112 asks of clients.
        while (statusLine != null && statusLine.isEmpty()) statusLine = in.readLine();
        if (statusLine == null) throw new EOFException("connection closed before a response");
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x status line: " + statusLine);
        int sp1 = statusLine.indexOf(' ');
        int sp2 = statusLine.indexOf(' ', sp1 + 1);
        int status = Integer.parseInt(sp2 < 0 ? statusLine.substring(sp1 + 1) : statusLine.substring(sp1 + 1, sp2));
        String reason = sp2 < 0 ? "" : statusLine.substring(sp2 + 1);
        Map<String, String> headers = new HashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("malformed header line: " + line);
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (line == null) throw new EOFException("connection closed inside response headers");
        return new ResponseHead(status, reason, headers);
    }

    /** Reads the body of a response to a request whose method was not HEAD. */
    public static byte[] readBody(HttpInput in, ResponseHead head) throws IOException {
        int status = head.status();
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) return new byte[0];
        if (head.chunked()) return readChunked(in);
        long length = head.contentLength();
        if (length >= 0) {
            if (length > Integer.MAX_VALUE) throw new IOException("body too large: " + length);
            return in.readExactly((int) length);
        }
        return in.readToEnd();
    }

    public static HttpResponse read(HttpInput in) throws IOException {
        ResponseHead head = readHead(in);
        return new HttpResponse(head, readBody(in, head));
    }

    private static byte[] readChunked(HttpInput in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedInputStream chunks = new ChunkedInputStream(in);
        byte[] buf = new byte[8192];
        int n;
        while ((n = chunks.read(buf, 0, buf.length)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }
}
