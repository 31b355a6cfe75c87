package io.myelin.lifecycle;

import java.util.List;

/**
 * An event that the lifecycle's {@link TransitionTable} does not allow in the current state: a bug in the caller,
 * never a client's fault. The message carries the lifecycle, the state, the event and what would have been
 * allowed.
 */
public final class IllegalTransitionException extends IllegalStateException {
    private final Enum<?> state;
    private final Enum<?> event;

    IllegalTransitionException(String lifecycle, Enum<?> state, Enum<?> event, List<? extends Enum<?>> allowed) {
        super(lifecycle + ": " + event + " is not allowed in state " + state + " (allowed there: "
                + (allowed.isEmpty() ? "nothing, it is final" : allowed) + ")");
        this.state = state;
        this.event = event;
    }

    public Enum<?> state() {
        return state;
    }

    public Enum<?> event() {
        return event;
    }
}
