package io.myelin.client;

import java.util.Map;
import java.util.Objects;

/**
 * An axon as the server describes it: a durable, ordered event log (plus a private SQL database) that any
 * number of clients share.
 *
 * @param id          server-assigned identifier
 * @param name        optional name given at creation, or {@code null}
 * @param metadata    user-defined string pairs (never {@code null}, unmodifiable)
 * @param createdAtMs creation time, milliseconds since the epoch
 */
public record Axon(String id, String name, Map<String, String> metadata, long createdAtMs) {
    /** Copies {@code metadata} so the record stays immutable; {@code null} becomes empty. */
    public Axon {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
