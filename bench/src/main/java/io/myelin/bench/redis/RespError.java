package io.myelin.bench.redis;

import java.io.IOException;

/** An error reply ({@code -ERR ...}) from Redis. */
public final class RespError extends IOException {
    public RespError(String message) {
        super(message);
    }
}
