package io.myelin.bench.redis;

import io.myelin.bench.http.HttpInput;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP2 replies: simple strings and bulk strings become {@link String}, integers
 * {@link Long}, arrays {@link List}, nil {@code null}; error replies throw {@link RespError}.
 * Reuses {@link HttpInput} because RESP is the same CRLF-lines-plus-counted-bytes shape.
 */
public final class RespReader {
    private final HttpInput in;

    public RespReader(HttpInput in) {
        this.in = in;
    }

    public Object read() throws IOException {
        String line = in.readLine();
        if (line == null) throw new EOFException("redis closed the connection");
        if (line.isEmpty()) throw new IOException("empty RESP line");
        char type = line.charAt(0);
        String rest = line.substring(1);
        return switch (type) {
            case '+' -> rest;
            case '-' -> throw new RespError(rest);
            case ':' -> Long.parseLong(rest);
            case '$' -> {
                int len = Integer.parseInt(rest);
                if (len < 0) yield null;
                byte[] bytes = in.readExactly(len);
                in.skipExactly(2); // CRLF after the bulk data
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) yield null;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    try {
                        items.add(read());
                    } catch (RespError e) {
                        items.add(e);
                    }
                }
                yield items;
            }
            default -> throw new IOException("unknown RESP type '" + type + "' in: " + line);
        };
    }
}
