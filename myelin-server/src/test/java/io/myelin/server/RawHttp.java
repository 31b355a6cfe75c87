package io.myelin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@code java.net.http} cannot produce: arbitrary body bytes, a raw
 * request target, a Content-Length that lies, malformed chunking, a body that stops. Each request uses its own
 * connection ({@code Connection: close}) and reads the answer to the end of the stream.
 */
final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** An answer: status, headers (names lower-cased), body bytes. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String errorField() {
            JsonNode f = json().path("error").get("field");
            return f == null ? null : f.asText();
        }

        String errorMessage() {
            return json().path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    /** A JSON request with a correct Content-Length and the test key. */
    Answer send(String method, String target, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return exchange(concat(head.getBytes(StandardCharsets.ISO_8859_1), body), false);
    }

    /** A GET (or other bodiless request) with extra header lines, each given without its CRLF. */
    Answer bodiless(String method, String target, String... headerLines) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headerLines) {
            head.append(h).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return exchange(head.toString().getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /**
     * Writes {@code bytes} exactly as given (request line, headers and whatever body), then, when
     * {@code halfClose}, shuts the sending side so the server sees the end of the stream; reads the whole answer.
     */
    Answer exchange(byte[] bytes, boolean halfClose) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Answer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new AssertionError("no complete HTTP answer: '" + new String(raw, StandardCharsets.ISO_8859_1) + "'");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            body = java.util.Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(headers.get("content-length"))));
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(body, new byte[] {'\r', '\n'}, i);
            int size = Integer.parseInt(new String(body, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }


    /** Reads an answer's status line and header fields, up to the blank line, and returns the status. */
    static int statusOf(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        return Integer.parseInt(head.substring(9, 12));
    }
}
