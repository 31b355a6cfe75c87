package io.myelin.bench.sse;

/**
 * Line-at-a-time parser for the {@code text/event-stream} format (WHATWG HTML, "server-sent
 * events"): fields accumulate until a blank line dispatches them; lines starting with a colon
 * are comments (the server's heartbeats), counted but otherwise ignored.
 *
 * <p>Why the bench does not use the Java client's parser: the bench depends on no Myelin module
 * (one bench jar measures any server build, see pom.xml), and its streams are fed line by line
 * by its own HTTP/1.1 reader over a raw socket with buffers sized for ten thousand idle streams,
 * where the client's parser owns a {@code BufferedReader} over a {@code java.net.http} body.
 */
public final class SseParser {
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType;
    private String lastId;
    private long comments;

    /**
     * Feeds one line without its terminator.
     *
     * @return the event completed by this line, or {@code null}
     */
    public SseEvent accept(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.charAt(0) == ':') {
            comments++;
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') start++;
            value = line.substring(start);
        }
        switch (field) {
            case "data" -> {
                if (hasData) data.append('\n');
                data.append(value);
                hasData = true;
            }
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) lastId = value;
            }
            default -> {
                // "retry" and unknown fields do not matter to the bench
            }
        }
        return null;
    }

    private SseEvent dispatch() {
        if (!hasData) {
            eventType = null;
            return null;
        }
        SseEvent event = new SseEvent(lastId, eventType, data.toString());
        data.setLength(0);
        hasData = false;
        eventType = null;
        return event;
    }

    /** Comment lines seen so far (heartbeats). */
    public long comments() {
        return comments;
    }

    public String lastId() {
        return lastId;
    }
}
