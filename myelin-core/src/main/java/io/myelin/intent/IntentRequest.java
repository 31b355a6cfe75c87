package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A create request ({@code POST /v1/axons/{id}/intents}), typed but not yet checked against the limits
 * ({@link IntentChecks} does that). Absent values are null.
 *
 * @param onDeadline null for the default, {@link OnDeadline#EXPIRE}
 */
public record IntentRequest(String kind, WaitingFor waitingFor, String title, JsonNode payload, String assignee,
                            Long fireAtMs, Long deadlineMs, Long remindEveryMs, OnDeadline onDeadline,
                            String escalateTo) {}
