package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an intent ended ({@code IntentView.resolution}).
 *
 * @param outcome    what was decided
 * @param result     what the resolver handed back (any JSON), or null
 * @param comment    the resolver's words, or the cancel reason; or null
 * @param resolvedBy the id of the API key that resolved or cancelled it, or {@code system} for timers
 * @param user       the end user the key acted for ({@code X-Myelin-User}), or null
 */
public record Resolution(Outcome outcome, JsonNode result, String comment, String resolvedBy, String user) {}
