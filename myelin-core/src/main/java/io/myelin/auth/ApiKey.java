package io.myelin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A stored API key as the server knows it — never the secret, which only the client holds.
 *
 * @param id   stable identifier ({@code key_} + 24 hex characters), safe to log and to record as who did
 *             something; a new key gets a new id, also when it replaces another under the same name
 * @param name what the operator calls it ({@code admin}); unique among keys
 * @param role what it may do
 */
public record ApiKey(String id, String name, Role role) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public Set<Scope> scopes() {
        return role.scopes();
    }
}
