package io.myelin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who an engine call is made for. The HTTP layer builds one per authenticated request and passes it as the first
 * argument of every engine call that acts on data; the engine reads it for the retry fingerprint
 * ({@link io.myelin.idempotency.RequestKey#sentBy}) and the listing filter ({@link AccessPolicy#visible}).
 *
 * @param keyId      the id of the API key that authenticated the request ({@link ApiKey#id}); never the key itself
 * @param scopes     what that key may do, as {@link AccessPolicy} reads it
 * @param actingUser the user the key's holder says it acts for (HTTP: {@code X-Myelin-User}), or null. The server
 *                   does not verify it: it is the key holder's statement, recorded as such
 * @param requestId  the request's id for logs (HTTP: the client's {@code X-Request-Id}, else a generated one), or
 *                   null for work no request asked for ({@link #SYSTEM})
 */
public record Caller(String keyId, Set<Scope> scopes, String actingUser, String requestId) {
    /** The server acting on its own behalf (system events): every scope, no key, no request. */
    public static final Caller SYSTEM = new Caller("system", Set.of(Scope.ADMIN), null, null);

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    /** The caller a request authenticated with {@code key} acts as. */
    public static Caller of(ApiKey key, String actingUser, String requestId) {
        return new Caller(key.id(), key.grants(), actingUser, requestId);
    }
}
