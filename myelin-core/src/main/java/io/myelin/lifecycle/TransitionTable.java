package io.myelin.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lifecycle declared as data: its states, the events that move it, and every transition allowed — in the manner
 * of Temporal's Java SDK state machines. Anything not declared is illegal: {@link #next} refuses it with an
 * {@link IllegalTransitionException} that names the lifecycle, the state and the event, instead of letting an
 * object drift into a state nobody designed. The same table renders itself as a diagram ({@link #mermaid}), so the
 * documentation cannot drift from the code either.
 *
 * <p>Immutable and thread-safe once built. Lookups are two array indexings.
 *
 * @param <S> the states
 * @param <E> the events
 */
public final class TransitionTable<S extends Enum<S>, E extends Enum<E>> {
    /** One declared transition. */
    public record Transition<S, E>(S from, E event, S to) {}

    private final String name;
    private final S initial;
    private final Class<S> states;
    private final Class<E> events;
    private final Object[][] next; // [state ordinal][event ordinal] -> S or null
    private final List<Transition<S, E>> transitions;

    private TransitionTable(String name, S initial, Class<S> states, Class<E> events, List<Transition<S, E>> transitions) {
        this.name = name;
        this.initial = initial;
        this.states = states;
        this.events = events;
        this.transitions = List.copyOf(transitions);
        this.next = new Object[states.getEnumConstants().length][events.getEnumConstants().length];
        for (Transition<S, E> t : transitions) {
            if (next[t.from().ordinal()][t.event().ordinal()] != null) {
                throw new IllegalArgumentException(name + ": " + t.from() + " on " + t.event() + " is declared twice");
            }
            next[t.from().ordinal()][t.event().ordinal()] = t.to();
        }
    }

    public static <S extends Enum<S>, E extends Enum<E>> Builder<S, E> builder(String name, Class<S> states,
                                                                              Class<E> events, S initial) {
        return new Builder<>(name, states, events, initial);
    }

    public String name() {
        return name;
    }

    public S initial() {
        return initial;
    }

    /** Every declared transition, in declaration order. */
    public List<Transition<S, E>> transitions() {
        return transitions;
    }

    /** Whether {@code event} may happen in {@code from}. */
    public boolean allows(S from, E event) {
        return next[from.ordinal()][event.ordinal()] != null;
    }

    /**
     * The state {@code event} leads to from {@code from}.
     *
     * @throws IllegalTransitionException when the table does not declare it
     */
    @SuppressWarnings("unchecked")
    public S next(S from, E event) {
        Object to = next[from.ordinal()][event.ordinal()];
        if (to == null) {
            throw new IllegalTransitionException(name, from, event, allowedFrom(from));
        }
        return (S) to;
    }

    /** The events allowed in {@code state}, in declaration order of the event enum. */
    public List<E> allowedFrom(S state) {
        List<E> out = new ArrayList<>();
        for (E e : events.getEnumConstants()) {
            if (next[state.ordinal()][e.ordinal()] != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** States with no way out. */
    public List<S> finalStates() {
        List<S> out = new ArrayList<>();
        for (S s : states.getEnumConstants()) {
            if (allowedFrom(s).isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The table as a Mermaid state diagram ({@code stateDiagram-v2}), one arrow per transition. */
    public String mermaid() {
        StringBuilder b = new StringBuilder("stateDiagram-v2\n");
        b.append("    [*] --> ").append(initial.name()).append('\n');
        for (Transition<S, E> t : transitions) {
            b.append("    ").append(t.from().name()).append(" --> ").append(t.to().name()).append(" : ")
                    .append(t.event().name()).append('\n');
        }
        for (S s : finalStates()) {
            b.append("    ").append(s.name()).append(" --> [*]\n");
        }
        return b.toString();
    }

    /** Declares transitions; {@link #build} checks that every state is reachable from the initial one. */
    public static final class Builder<S extends Enum<S>, E extends Enum<E>> {
        private final String name;
        private final Class<S> states;
        private final Class<E> events;
        private final S initial;
        private final List<Transition<S, E>> transitions = new ArrayList<>();

        private Builder(String name, Class<S> states, Class<E> events, S initial) {
            this.name = Objects.requireNonNull(name);
            this.states = states;
            this.events = events;
            this.initial = initial;
        }

        /** {@code from} on {@code event} goes to {@code to}. */
        public Builder<S, E> on(S from, E event, S to) {
            transitions.add(new Transition<>(from, event, to));
            return this;
        }

        /** {@code event} is allowed in every one of {@code from} and leads to {@code to}. */
        @SafeVarargs
        public final Builder<S, E> onAny(E event, S to, S... from) {
            for (S s : from) {
                on(s, event, to);
            }
            return this;
        }

        public TransitionTable<S, E> build() {
            TransitionTable<S, E> table = new TransitionTable<>(name, initial, states, events, transitions);
            Map<S, Boolean> reached = new EnumMap<>(states);
            List<S> frontier = new ArrayList<>(List.of(initial));
            while (!frontier.isEmpty()) {
                S s = frontier.removeLast();
                if (reached.put(s, Boolean.TRUE) == null) {
                    for (E e : table.allowedFrom(s)) {
                        frontier.add(table.next(s, e));
                    }
                }
            }
            List<S> unreachable = new ArrayList<>();
            for (S s : states.getEnumConstants()) {
                if (!reached.containsKey(s)) {
                    unreachable.add(s);
                }
            }
            if (!unreachable.isEmpty()) {
                throw new IllegalArgumentException(name + ": states " + Collections.unmodifiableList(unreachable)
                        + " cannot be reached from " + initial);
            }
            return table;
        }
    }
}
