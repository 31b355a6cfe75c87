package io.myelin.auth;

import java.util.Set;

/**
 * The kind of a stored API key, as the {@code api_keys.role} column names it. Only ADMIN exists today; a role is
 * a named set of {@link Scope}s, and per-axon grants of scoped keys will add to it.
 */
public enum Role {
    ADMIN(Set.of(Scope.ADMIN));

    private final Set<Scope> scopes;

    Role(Set<Scope> scopes) {
        this.scopes = scopes;
    }

    /** What a key of this role may do. */
    public Set<Scope> scopes() {
        return scopes;
    }
}
