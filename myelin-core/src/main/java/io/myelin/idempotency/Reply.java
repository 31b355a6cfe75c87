package io.myelin.idempotency;

/**
 * A stored answer to a keyed request: what a retry of it gets back.
 *
 * @param status the HTTP status the original answer had
 * @param body   the answer's encoded body (its encoding belongs to whoever stored it)
 */
public record Reply(int status, byte[] body) {}
