package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Myelin's extension for a broker running beside its agent ({@code myelin broker}): the broker's durable state on
 * the axon, and the system events only a broker appends ({@code turn.started}, {@code turn.completed},
 * {@code turn.failed}, {@code agent.error}, {@code agent.log}, {@code broker.error}). Needs the key's
 * {@code BROKER_RUN} permission on the axon. Not part of Runloop's API.
 *
 * <p>Threading: safe for concurrent use.
 */
public interface AxonBroker {
    /**
     * The axon's broker state (version 0 when none was saved).
     *
     * @throws NotFoundException 404: no such axon
     */
    BrokerState state();

    /**
     * Saves {@code next} over version {@code next.version()} and returns what the server stored (one version
     * higher). A repeat under the same {@code idempotencyKey} returns the first answer.
     *
     * @throws ConflictException  409 naming {@code version}: another broker saved meanwhile
     * @throws MyelinApiException 400 naming the field: a cursor past the axon's head, a context that is not an
     *                            object or too large
     */
    BrokerState save(BrokerState next, String idempotencyKey);

    /**
     * Appends a broker's {@code SYSTEM_EVENT} (source {@code broker}); at most once per {@code idempotencyKey}.
     *
     * @param payloadJson JSON text, e.g. {@code {"turn_id":"turn_7"}}
     * @throws MyelinApiException 400 naming {@code event_type} for a type a broker does not append
     */
    Published publishSystemEvent(String eventType, String payloadJson, String idempotencyKey);

    /**
     * Opens an intent on the axon ({@code POST /v1/axons/{id}/intents}), as a broker does for its agent's permission
     * requests: {@code body} and the answer are the wire's JSON ({@code IntentView}). At most once per
     * {@code idempotencyKey}: a repeat returns the intent the first call created. Needs the key's
     * {@code INTENT_CREATE} permission on the axon.
     *
     * @throws MyelinApiException 400/413 naming the field at fault
     */
    JsonNode createIntent(JsonNode body, String idempotencyKey);

    /**
     * Resolves a waiting intent ({@code POST /v1/intents/{intent_id}/resolve}, body {@code {outcome, result?,
     * comment?}}); answers its {@code IntentView}.
     *
     * @throws ConflictException 409: it is no longer waiting
     */
    JsonNode resolveIntent(String intentId, JsonNode body, String idempotencyKey);

    /**
     * Cancels a waiting intent ({@code POST /v1/intents/{intent_id}/cancel}, body {@code {reason?}}); answers its
     * {@code IntentView}.
     *
     * @throws ConflictException 409: it is no longer waiting
     */
    JsonNode cancelIntent(String intentId, JsonNode body, String idempotencyKey);
}
