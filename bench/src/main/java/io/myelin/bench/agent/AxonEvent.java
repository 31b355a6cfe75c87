package io.myelin.bench.agent;

/**
 * One event of an axon as an SSE subscriber parsed it, with the generator's {@code System.nanoTime()} at the moment
 * it was parsed (the same clock the publishers read before sending, so differences are latencies).
 *
 * @param payload the event's payload text (for broker events a JSON document)
 */
public record AxonEvent(long sequence, String type, String origin, String payload, long arrivedNanos) {

    /** An agent's {@code session/update} notification relayed by the broker. */
    public boolean isSessionUpdate() {
        return "session/update".equals(type) && "AGENT_EVENT".equals(origin);
    }

    public boolean isSystem(String eventType) {
        return eventType.equals(type) && "SYSTEM_EVENT".equals(origin);
    }

    /** {@code turn.completed} or {@code turn.failed} of the turn that the event at {@code triggerSequence} started. */
    public boolean endsTurn(long triggerSequence) {
        return (isSystem("turn.completed") || isSystem("turn.failed"))
                && payload.contains("\"turn_" + triggerSequence + "\"");
    }

    public boolean startsTurn(long triggerSequence) {
        return isSystem("turn.started") && payload.contains("\"turn_" + triggerSequence + "\"");
    }
}
