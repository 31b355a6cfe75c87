package io.myelin.broker;

import io.myelin.broker.BrokerLifecycles.TurnEvent;
import io.myelin.broker.BrokerLifecycles.TurnState;
import io.myelin.lifecycle.Lifecycle;
import io.myelin.stream.Event;

/**
 * One turn: the agent's work on one turn-starting event, from {@code turn.started} to {@code turn.completed} or
 * {@code turn.failed}. Its id is derived from the event ({@code turn_<sequence>}), so every broker that ever sees the
 * event names the turn the same way and the idempotency keys of its system events match.
 *
 * <p>Confined to the broker's thread.
 */
final class Turn {
    private final Event trigger;
    private final Lifecycle<TurnState, TurnEvent> lifecycle = new Lifecycle<>(BrokerLifecycles.TURN);
    /** The session the turn runs in, as the client knows it (ACP); set by the relay when it starts the turn. */
    private String sessionId;
    private int outputs;
    /** When it was asked to stop (ms, the broker options' clock), or {@link Long#MAX_VALUE}. */
    private long cancelledAt = Long.MAX_VALUE;

    Turn(Event trigger) {
        this.trigger = trigger;
    }

    static String idOf(long sequence) {
        return "turn_" + sequence;
    }

    String id() {
        return idOf(trigger.sequence());
    }

    Event trigger() {
        return trigger;
    }

    TurnState state() {
        return lifecycle.state();
    }

    void fire(TurnEvent t) {
        lifecycle.fire(t);
    }

    /** A client asked to stop it at {@code atMs} (ms, the broker options' clock): CANCELLING. */
    void cancel(long atMs) {
        lifecycle.fire(TurnEvent.CANCEL);
        cancelledAt = atMs;
    }

    /** When {@link #cancel} was called (ms), or {@link Long#MAX_VALUE} when it was not. */
    long cancelledAt() {
        return cancelledAt;
    }

    boolean cancelled() {
        return lifecycle.state() == TurnState.CANCELLING;
    }

    String sessionId() {
        return sessionId;
    }

    void sessionId(String id) {
        this.sessionId = id;
    }

    /** The number of the turn's next output event (for its idempotency key). */
    int nextOutput() {
        return outputs++;
    }
}
