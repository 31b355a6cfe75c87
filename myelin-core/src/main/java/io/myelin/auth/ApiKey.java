package io.myelin.auth;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key as the server knows it — never the secret, which only the client holds.
 *
 * @param id                     stable identifier ({@code key_} + 24 hex characters), safe to log and to record as
 *                               who did something; kept across rotations, new for every new key
 * @param name                   what its creator calls it; not unique
 * @param scopes                 what it may do; never empty
 * @param axonIds                the only axons it may act on (in the order given), or null for every axon
 * @param expiresAtMs            when it stops working (epoch ms), or null for never
 * @param createdAtMs            when it was created (epoch ms)
 * @param revokedAtMs            when it was revoked (epoch ms), or null while it is not
 * @param previousExpiresAtMs    while the secret it had before its last rotation still works: until when (epoch ms);
 *                               else null
 * @param bootstrap              true for the admin key of the {@code admin-key} setting or {@code admin.key}, which
 *                               only the server's configuration replaces
 */
public record ApiKey(String id, String name, Set<ScopeName> scopes, Set<String> axonIds, Long expiresAtMs,
                     long createdAtMs, Long revokedAtMs, Long previousExpiresAtMs, boolean bootstrap) {
    /** The name of the bootstrap admin key. */
    public static final String ADMIN_NAME = "admin";

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key holds at least one scope");
        }
        scopes = java.util.Collections.unmodifiableSet(EnumSet.copyOf(scopes)); // iterates in the table's order
        axonIds = axonIds == null ? null : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(axonIds));
    }

    /** The bootstrap admin key, created at {@code createdAtMs}. */
    public static ApiKey bootstrapAdmin(String id, long createdAtMs) {
        return new ApiKey(id, ADMIN_NAME, Set.of(ScopeName.ADMIN), null, null, createdAtMs, null, null, true);
    }

    /**
     * What the key may do, as {@link AccessPolicy} reads it: the actions of all its scopes on every axon, or on each
     * axon of its limit (with no actions when its scopes grant none yet).
     */
    public Set<Scope> grants() {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (ScopeName s : scopes) {
            actions.addAll(s.actions());
        }
        if (axonIds == null) {
            return Set.of(new Scope(null, actions));
        }
        Set<Scope> out = new HashSet<>();
        for (String axon : axonIds) {
            out.add(new Scope(axon, actions));
        }
        return out;
    }

    /** True once revoked, or at and after {@code expiresAtMs}. */
    public boolean endedAt(long nowMs) {
        return revokedAtMs != null || (expiresAtMs != null && nowMs >= expiresAtMs);
    }

    /** This key revoked at {@code atMs}; its previous secret stops with it. */
    public ApiKey revoked(long atMs) {
        return new ApiKey(id, name, scopes, axonIds, expiresAtMs, createdAtMs, atMs, null, bootstrap);
    }

    /** This key after a rotation whose previous secret works until {@code previousUntilMs}. */
    public ApiKey rotated(long previousUntilMs) {
        return new ApiKey(id, name, scopes, axonIds, expiresAtMs, createdAtMs, revokedAtMs, previousUntilMs, bootstrap);
    }
}
