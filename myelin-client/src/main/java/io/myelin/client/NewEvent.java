package io.myelin.client;

import java.util.Objects;

/**
 * An event to publish. The payload is JSON text; use {@link #json} to have an object serialized for you.
 *
 * <pre>{@code
 * NewEvent e = NewEvent.of("message", Origin.USER_EVENT, "my-app", "{\"text\":\"hello\"}");
 * NewEvent f = NewEvent.json("message", Origin.USER_EVENT, "my-app", Map.of("text", "hello"));
 * }</pre>
 *
 * @param eventType application-defined type, required
 * @param origin    one of {@link Origin#EXTERNAL_EVENT}, {@link Origin#AGENT_EVENT}, {@link Origin#USER_EVENT}
 * @param source    producer name, required
 * @param payload   JSON text, required
 */
public record NewEvent(String eventType, Origin origin, String source, String payload) {
    /** Checks that every field is present and that the origin is one a client may publish. */
    public NewEvent {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        // The server would reject these anyway; failing here points at the caller's line instead of a 400.
        if (origin == Origin.SYSTEM_EVENT || origin == Origin.UNKNOWN) {
            throw new IllegalArgumentException("origin " + origin + " cannot be published");
        }
    }

    /** An event whose payload is already JSON text. */
    public static NewEvent of(String eventType, Origin origin, String source, String payloadJson) {
        return new NewEvent(eventType, origin, source, payloadJson);
    }

    /** An event whose payload is {@code value} serialized to JSON (maps, lists, records, strings, numbers). */
    public static NewEvent json(String eventType, Origin origin, String source, Object value) {
        return new NewEvent(eventType, origin, source, Json.text(value));
    }
}
