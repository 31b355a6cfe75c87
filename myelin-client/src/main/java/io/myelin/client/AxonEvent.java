package io.myelin.client;

/**
 * One event of an axon's log, as read back from history or a subscription.
 *
 * @param axonId      the axon the event belongs to
 * @param sequence    position in the axon's log; strictly increasing, assigned by the server
 * @param eventType   application-defined type, e.g. {@code "message"} or {@code "turn.completed"}
 * @param origin      who produced the event
 * @param source      free-form producer name, e.g. {@code "cli"} or {@code "github"}
 * @param payload     the payload as JSON text, exactly as published
 * @param timestampMs when the server appended the event, milliseconds since the epoch
 */
public record AxonEvent(String axonId, long sequence, String eventType, Origin origin, String source,
                        String payload, long timestampMs) {
}
