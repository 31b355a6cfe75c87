package io.myelin.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One grant held by an API key: {@code actions} on one axon, or on every axon and the server itself when
 * {@code axonId} is null. A key's scopes add up; {@link AccessPolicy} is the one place that reads them.
 *
 * <p>A key's {@link ScopeName}s become its grants ({@link ApiKey#grants}): one over every axon, or one per axon of
 * its limit. {@link #ADMIN} is every action everywhere.
 *
 * @param axonId  the axon granted, or null for every axon and the server-wide actions (create, list, metrics)
 * @param actions what the grant allows; empty for a key whose scopes grant nothing yet: it still reaches its axons,
 *                so it is refused there with 403 rather than told they do not exist
 */
public record Scope(String axonId, Set<Action> actions) {
    /** Every action on every axon and on the server. */
    public static final Scope ADMIN = new Scope(null, EnumSet.allOf(Action.class));

    public Scope {
        actions = Set.copyOf(Objects.requireNonNull(actions, "actions"));
    }

    /** {@code actions} on the one axon {@code axonId}. */
    public static Scope axon(String axonId, Action first, Action... more) {
        return new Scope(Objects.requireNonNull(axonId, "axonId"), EnumSet.of(first, more));
    }

    /** True when this grant allows {@code action} on {@code axonId} (null: a server-wide action). */
    public boolean allows(Action action, String axonId) {
        return actions.contains(action) && (this.axonId == null || this.axonId.equals(axonId));
    }
}
