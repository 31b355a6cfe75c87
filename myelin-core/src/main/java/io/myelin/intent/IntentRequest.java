package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A create request ({@code POST /v1/axons/{id}/intents}), typed but not yet checked against the limits
 * ({@link IntentChecks} does that). Absent values are null.
 *
 * @param onDeadline   null for the default, {@link OnDeadline#EXPIRE}
 * @param fireInMs     {@code fire_in_ms}: the fire time as a delay from when the intent is created, instead of
 *                     {@code fireAtMs}. A retry of the same request (same body, same {@code Idempotency-Key}) is then
 *                     the same request, whenever it is sent; with an absolute time computed by the client on each
 *                     attempt it would not be
 * @param deadlineInMs {@code deadline_in_ms}: the deadline as a delay from creation, instead of {@code deadlineMs}
 */
public record IntentRequest(String kind, WaitingFor waitingFor, String title, JsonNode payload, String assignee,
                            Long fireAtMs, Long deadlineMs, Long remindEveryMs, OnDeadline onDeadline,
                            String escalateTo, Long fireInMs, Long deadlineInMs) {

    /** A request with only what a server-made intent needs (a broker's permission request): waits with no timer. */
    public static IntentRequest of(String kind, WaitingFor waitingFor, String title, JsonNode payload) {
        return new IntentRequest(kind, waitingFor, title, payload, null, null, null, null, null, null, null, null);
    }

    /**
     * This request with its relative times made absolute from {@code nowMs}.
     *
     * @throws io.myelin.error.MyelinException 400 naming the field when both forms of one time are given, or a delay
     *                                         is negative or past {@code maxHorizonMs}
     */
    IntentRequest absolute(long nowMs, long maxHorizonMs) {
        Long fire = pick("fire_at_ms", fireAtMs, "fire_in_ms", fireInMs, 0, nowMs, maxHorizonMs);
        Long deadline = pick("deadline_ms", deadlineMs, "deadline_in_ms", deadlineInMs, 1, nowMs, maxHorizonMs);
        return new IntentRequest(kind, waitingFor, title, payload, assignee, fire, deadline, remindEveryMs, onDeadline,
                escalateTo, null, null);
    }

    private static Long pick(String absName, Long abs, String relName, Long rel, long min, long nowMs, long max) {
        if (rel == null) {
            return abs;
        }
        if (abs != null) {
            throw io.myelin.error.MyelinException.invalid(relName, "give " + absName + " or " + relName + ", not both");
        }
        if (rel < min || rel > max) {
            throw io.myelin.error.MyelinException.invalid(relName, relName + " must be between " + min + " and " + max
                    + " (ms from now; at most intents.max-horizon); got " + rel);
        }
        return nowMs + rel;
    }
}
