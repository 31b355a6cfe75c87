package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a broker keeps about the axon it relays ({@code GET/PUT /v1/axons/{id}/broker}, a Myelin extension): see
 * {@link AxonBroker}.
 *
 * @param version     0 when no broker ever saved one; each save makes it one higher
 * @param cursor      every event at or below it was handled by the broker
 * @param turnCursor  the sequence of the last turn-starting event whose turn started
 * @param turnId      the turn in progress, or null
 * @param turnTrigger the sequence of the event that started {@code turnId}; 0 when none
 * @param sessionId   the agent's conversation as clients know it, or null
 * @param context     a JSON object the broker's protocol needs to restore the agent
 */
public record BrokerState(long version, long cursor, long turnCursor, String turnId, long turnTrigger,
                          String sessionId, JsonNode context) {
    public BrokerState {
        Objects.requireNonNull(context, "context");
    }
}
