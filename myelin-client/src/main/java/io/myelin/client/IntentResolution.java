package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How and by whom an {@link Intent} was resolved ({@code resolution} on the wire).
 *
 * @param outcome    how it ended; {@link IntentOutcome#CANCELLED} after a cancel, {@link IntentOutcome#EXPIRED}
 *                   after its deadline, {@link IntentOutcome#FIRED} for a time intent
 * @param result     the JSON value the resolver gave, or {@code null}
 * @param comment    the resolver's comment (the reason, for a cancel), or {@code null}
 * @param resolvedBy the id of the API key that resolved or cancelled it, or {@code "system"} for the server's timers
 * @param resolvedByUser the user that key said it acted for ({@code X-Myelin-User}, see
 *                   {@link MyelinClient.Builder#actingUser}), or {@code null}
 */
public record IntentResolution(IntentOutcome outcome, JsonNode result, String comment, String resolvedBy,
                               String resolvedByUser) {
    /** Reads a JSON {@code null} result as {@code null}; an outcome this client does not know as UNKNOWN. */
    public IntentResolution {
        outcome = outcome == null ? IntentOutcome.UNKNOWN : outcome;
        result = result == null || result.isNull() ? null : result;
    }
}
