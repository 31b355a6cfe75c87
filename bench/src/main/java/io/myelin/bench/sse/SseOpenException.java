package io.myelin.bench.sse;

import java.io.IOException;

/** The server answered a subscribe request with something other than 200. */
public final class SseOpenException extends IOException {
    private final int status;

    public SseOpenException(int status, String body) {
        super("subscribe answered " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
