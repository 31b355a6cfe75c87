package io.myelin.intent;

/**
 * A list request ({@code GET /v1/intents}); null fields filter nothing. The inbox is
 * {@code status=waiting&waiting_for=human[&assignee=…]}.
 *
 * @param startingAfter cursor: the id of the last intent of the previous page, or null
 * @param limit         page size, 1 to {@link IntentLimits#maxListLimit}
 * @param includeTotal  whether to count every match
 */
public record IntentFilter(String axonId, IntentStatus status, WaitingFor waitingFor, String assignee, String kind,
                           String startingAfter, int limit, boolean includeTotal) {}
