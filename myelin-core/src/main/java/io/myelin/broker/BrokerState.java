package io.myelin.broker;

import java.util.Objects;

/**
 * What a broker keeps durably about one axon, so that a broker started after a crash (of the server, of
 * {@code myelin broker}, or of the agent) neither skips nor repeats a turn and can restore the agent's conversation.
 *
 * <p>Two cursors, because turns run one at a time while everything else is relayed at once: after a restart the
 * broker reads the axon again from {@code turnCursor + 1}; a turn-starting event there is queued again (it was
 * waiting when the broker stopped), any other event at or below {@code cursor} was already handled and is skipped.
 *
 * @param version     0 for an axon no broker has run on; every save makes it one higher. A save names the version
 *                    it was derived from and is refused (409) when another broker saved since (optimistic
 *                    concurrency: two brokers racing on one axon cannot both start a turn)
 * @param cursor      every event at or below this sequence is handled (relayed, answered, ignored), except the
 *                    turn-starting events above {@code turnCursor}, which were queued
 * @param turnCursor  the sequence of the last turn-starting event whose turn started; at most {@code cursor}
 * @param turnId      the turn in progress when the state was saved, or null. A broker that finds one at start ends
 *                    it with {@code turn.failed {error: "broker restarted"}}
 * @param turnTrigger the sequence of the event that started {@code turnId}; 0 when there is none
 * @param sessionId   the agent's conversation as clients know it (ACP {@code sessionId}, Claude {@code session_id}),
 *                    or null before the first one
 * @param context     a JSON object (text) the protocol needs to restore the agent: for ACP the client's
 *                    {@code initialize} and session parameters, for Claude its {@code initialize} control request;
 *                    beside them {@code open_intents}, the ids of the intents open for the agent's requests, which
 *                    the next broker cancels
 */
public record BrokerState(long version, long cursor, long turnCursor, String turnId, long turnTrigger,
                          String sessionId, String context) {
    /** The state of an axon no broker has run on. */
    public static final BrokerState INITIAL = new BrokerState(0, 0, 0, null, 0, null, "{}");

    public BrokerState {
        Objects.requireNonNull(context, "context");
        if (version < 0 || cursor < 0 || turnCursor < 0 || turnTrigger < 0) {
            throw new IllegalArgumentException("version, cursor, turnCursor and turnTrigger must be >= 0");
        }
        if ((turnId == null) != (turnTrigger == 0)) {
            throw new IllegalArgumentException("turnId and turnTrigger are set together");
        }
    }

    /** This state with a running turn. */
    public BrokerState withTurn(String id, long trigger) {
        return new BrokerState(version, cursor, turnCursor, id, trigger, sessionId, context);
    }

    public BrokerState withoutTurn() {
        return new BrokerState(version, cursor, turnCursor, null, 0, sessionId, context);
    }

    public BrokerState withCursors(long cursor, long turnCursor) {
        return new BrokerState(version, cursor, turnCursor, turnId, turnTrigger, sessionId, context);
    }

    public BrokerState withSession(String sessionId, String context) {
        return new BrokerState(version, cursor, turnCursor, turnId, turnTrigger, sessionId, context);
    }

    /** True when a turn was in progress. */
    public boolean turnRunning() {
        return turnId != null;
    }
}
