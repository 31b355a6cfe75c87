package io.myelin.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Splits a {@code text/event-stream} body into frames, per the WHATWG server-sent events format: {@code field:
 * value} lines, {@code data} lines joined with newlines, a blank line ends a frame, {@code :} lines are
 * comments (the server's heartbeats). Not thread-safe: one reader thread owns it.
 */
final class SseParser {
    /** One dispatched frame. {@code event} is {@code null} for the default ("message") type. */
    record Frame(String event, String id, String data) {
    }

    private final BufferedReader reader;
    private final Runnable onActivity;

    /**
     * @param onActivity called for every line read, heartbeats included, so a watchdog can tell a quiet stream
     *                   from a dead one
     */
    SseParser(InputStream in, Runnable onActivity) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.onActivity = onActivity;
    }

    /** The next frame, or {@code null} when the stream ended. */
    Frame next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            onActivity.run();
            if (line.isEmpty()) {
                if (data != null || event != null) {
                    return new Frame(event, id, data == null ? "" : data.toString());
                }
                continue; // blank line after a comment-only block: nothing to dispatch
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // "retry" and unknown fields: our reconnect policy is our own
            }
        }
        return null; // a partial frame at EOF is discarded, as the format requires
    }
}
