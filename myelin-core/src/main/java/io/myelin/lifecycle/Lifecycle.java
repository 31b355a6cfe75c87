package io.myelin.lifecycle;

import java.util.function.BiConsumer;

/**
 * One object's place in a {@link TransitionTable}: its current state, moved only by {@link #fire}. Every
 * transition goes through the table, so an illegal one fails loudly at the point it is attempted.
 *
 * <p>Threading: {@link #fire} is atomic (synchronized); {@link #state} may be read from any thread (volatile).
 */
public final class Lifecycle<S extends Enum<S>, E extends Enum<E>> {
    private final TransitionTable<S, E> table;
    private final BiConsumer<S, S> onChange;
    private volatile S state;

    /** @param onChange called (under the lock) with the old and new state after every transition; may be null */
    public Lifecycle(TransitionTable<S, E> table, BiConsumer<S, S> onChange) {
        this.table = table;
        this.onChange = onChange;
        this.state = table.initial();
    }

    public Lifecycle(TransitionTable<S, E> table) {
        this(table, null);
    }

    private Lifecycle(TransitionTable<S, E> table, S state, BiConsumer<S, S> onChange) {
        this.table = table;
        this.onChange = onChange;
        this.state = state;
    }

    /**
     * An object's lifecycle picked up again in {@code state}, as stored before a restart (a devbox that was running):
     * it goes on from there through the same table.
     *
     * @param onChange as for the constructor; may be null
     */
    public static <S extends Enum<S>, E extends Enum<E>> Lifecycle<S, E> restore(TransitionTable<S, E> table, S state,
                                                                               BiConsumer<S, S> onChange) {
        return new Lifecycle<>(table, java.util.Objects.requireNonNull(state, "state"), onChange);
    }

    public S state() {
        return state;
    }

    /**
     * Moves by {@code event} and returns the new state.
     *
     * @throws IllegalTransitionException when {@code event} is not allowed in the current state
     */
    public synchronized S fire(E event) {
        S from = state;
        S to = table.next(from, event);
        state = to;
        if (onChange != null && to != from) {
            onChange.accept(from, to);
        }
        return to;
    }

    /** Fires {@code event} if the table allows it now; returns whether it did. For idempotent events (close). */
    public synchronized boolean fireIfAllowed(E event) {
        if (!table.allows(state, event)) {
            return false;
        }
        fire(event);
        return true;
    }
}
