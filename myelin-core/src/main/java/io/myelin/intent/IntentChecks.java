package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.MyelinException;
import io.myelin.text.Utf8;

/**
 * Checks requests against {@link IntentLimits} and the rules between fields; every refusal is a 400 naming the field
 * and the limit. Stateless.
 */
final class IntentChecks {
    private final IntentLimits limits;
    private final int maxEventPayload;

    /** @param maxEventPayload the largest event payload ({@code limits.max-payload-bytes}): an intent's view is one */
    IntentChecks(IntentLimits limits, int maxEventPayload) {
        this.limits = limits;
        this.maxEventPayload = maxEventPayload;
    }

    /**
     * Refuses an intent whose view would not fit in an event payload: every change of it is an event carrying it.
     * Checked on the view it would have (a resolution adds its result and comment to the view it has).
     */
    void fitsInEvent(Intent i, String field, JsonNode moreJson, String moreText) {
        long bytes = Utf8.checkedLength(IntentJson.text(i), "payload")
                + (moreJson == null ? 0 : Utf8.checkedLength(moreJson.toString(), "result"))
                + (moreText == null ? 0 : 6L * moreText.length()) + 256;
        if (bytes > maxEventPayload) {
            throw MyelinException.tooLarge(field,
                    "the intent would be " + bytes + " bytes of JSON, more than an event payload may hold ("
                    + maxEventPayload + ", limits.max-payload-bytes): its events carry it whole");
        }
    }

    /** A checked create request at {@code nowMs}. */
    void create(IntentRequest r, long nowMs) {
        name("kind", r.kind(), true);
        if (!r.kind().chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || "_.:-".indexOf(ch) >= 0))) {
            throw MyelinException.invalid("kind", "kind may hold ASCII letters, digits and _ . : - only; got \""
                    + r.kind() + "\"");
        }
        if (r.waitingFor() == null) {
            throw MyelinException.invalid("waiting_for", "waiting_for is required: human, tool, agent or time");
        }
        text("title", r.title());
        json("payload", r.payload());
        name("assignee", r.assignee(), false);
        name("escalate_to", r.escalateTo(), false);
        long horizon = nowMs + limits.maxHorizon().toMillis();
        if (r.waitingFor() == WaitingFor.TIME) {
            if (r.fireAtMs() == null) {
                throw MyelinException.invalid("fire_at_ms", "fire_at_ms is required when waiting_for is time");
            }
            instant("fire_at_ms", r.fireAtMs(), 0, horizon);
        } else if (r.fireAtMs() != null) {
            throw MyelinException.invalid("fire_at_ms", "fire_at_ms is only for waiting_for time (use deadline_ms"
                    + " for a " + r.waitingFor().wire() + " intent)");
        }
        if (r.deadlineMs() != null) {
            instant("deadline_ms", r.deadlineMs(), nowMs + 1, horizon);
        }
        if (r.remindEveryMs() != null) {
            long min = limits.minRemindEvery().toMillis();
            if (r.remindEveryMs() < min || r.remindEveryMs() > limits.maxHorizon().toMillis()) {
                throw MyelinException.invalid("remind_every_ms", "remind_every_ms must be between " + min + " and "
                        + limits.maxHorizon().toMillis() + " (intents.min-remind-every, intents.max-horizon); got "
                        + r.remindEveryMs());
            }
        }
        if (r.onDeadline() == OnDeadline.ESCALATE) {
            if (r.deadlineMs() == null) {
                throw MyelinException.invalid("deadline_ms", "on_deadline escalate needs a deadline_ms");
            }
            if (r.escalateTo() == null) {
                throw MyelinException.invalid("escalate_to", "on_deadline escalate needs escalate_to");
            }
        } else if (r.escalateTo() != null) {
            throw MyelinException.invalid("escalate_to", "escalate_to is only for on_deadline escalate");
        }
        if (r.onDeadline() != null && r.deadlineMs() == null) {
            throw MyelinException.invalid("on_deadline", "on_deadline needs a deadline_ms");
        }
    }

    /** A checked resolution. */
    void resolution(JsonNode result, String comment) {
        json("result", result);
        text("comment", comment);
    }

    /** A checked cancel reason. */
    void reason(String reason) {
        text("reason", reason);
    }

    private void text(String field, String value) {
        if (value != null && value.length() > limits.maxTextChars()) {
            throw MyelinException.invalid(field, field + " holds " + value.length() + " characters; at most "
                    + limits.maxTextChars() + " (intents.max-text-chars)");
        }
        if (value != null) {
            Utf8.checkedLength(value, field); // refuses unpaired surrogates from Java callers
        }
    }

    private void json(String field, JsonNode value) {
        if (value == null) {
            return;
        }
        int depth = depth(value);
        if (depth > IntentLimits.MAX_JSON_DEPTH) {
            throw MyelinException.invalid(field, field + " nests " + depth + " levels of arrays and objects; at most "
                    + IntentLimits.MAX_JSON_DEPTH + " (an intent is carried inside other JSON: its view, an event, a"
                    + " webhook's envelope)");
        }
        long bytes = Utf8.checkedLength(value.toString(), field);
        if (bytes > limits.maxPayloadBytes()) {
            throw MyelinException.tooLarge(field, field + " is " + bytes + " bytes of JSON; at most "
                    + limits.maxPayloadBytes() + " (intents.max-payload-bytes)");
        }
    }

    /** How deeply {@code node} nests arrays and objects (a scalar: 0), without recursion. */
    static int depth(JsonNode node) {
        int max = 0;
        java.util.ArrayDeque<java.util.Map.Entry<JsonNode, Integer>> todo = new java.util.ArrayDeque<>();
        todo.push(java.util.Map.entry(node, node.isContainerNode() ? 1 : 0));
        while (!todo.isEmpty()) {
            java.util.Map.Entry<JsonNode, Integer> e = todo.pop();
            max = Math.max(max, e.getValue());
            for (JsonNode child : e.getKey()) {
                if (child.isContainerNode()) {
                    todo.push(java.util.Map.entry(child, e.getValue() + 1));
                }
            }
        }
        return max;
    }

    private static void name(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw MyelinException.invalid(field, field + " is required");
            }
            return;
        }
        if (value.isEmpty() || value.length() > IntentLimits.MAX_NAME_CHARS || value.isBlank()) {
            throw MyelinException.invalid(field, field + " must hold 1 to " + IntentLimits.MAX_NAME_CHARS
                    + " characters, not all blank; got " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw MyelinException.invalid(field, field + " may not hold control characters");
        }
        Utf8.checkedLength(value, field);
    }

    private static void instant(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw MyelinException.invalid(field, field + " must be between " + min + " and " + max
                    + " (ms since the epoch; at most intents.max-horizon ahead"
                    + (field.equals("deadline_ms") ? ", and in the future" : "") + "); got " + value);
        }
    }
}
