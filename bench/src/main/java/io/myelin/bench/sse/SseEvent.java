package io.myelin.bench.sse;

/**
 * One dispatched server-sent event. {@code event} is {@code null} for the default "message" type;
 * {@code id} is the last id seen on the stream, as the SSE spec defines it.
 */
public record SseEvent(String id, String event, String data) {

    public boolean isError() {
        return "error".equals(event);
    }
}
