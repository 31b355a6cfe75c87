package io.myelin.auth;

import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys API ({@code /v1/keys}): create, list, read, rotate and revoke scoped API keys. Every change is durable in
 * the {@link KeyStore} before it is applied to {@link ApiKeys} and answered.
 *
 * <p>Rules: a key grants only what its manager holds ({@link AccessPolicy#checkGrant}), so {@code keys:manage} never
 * escalates; the same holds for rotating (which hands out the key's power) and revoking. The bootstrap admin key
 * belongs to the server's configuration and is neither rotated nor revoked here (409).
 *
 * <p>Thread-safe: changes are serialised by one lock (they are rare; the count of working keys and a rotation's
 * previous hash are read and written under it). Blocking: changes wait for the storage writer.
 */
public final class KeyManagement {
    private final ApiKeys keys;
    private final AccessPolicy policy;
    private final KeyLimits limits;
    private final ReentrantLock changes = new ReentrantLock();

    public KeyManagement(ApiKeys keys, AccessPolicy policy, KeyLimits limits) {
        this.keys = keys;
        this.policy = policy;
        this.limits = limits;
    }

    /**
     * What {@code POST /v1/keys} asks for, as sent.
     *
     * @param name        1..{@value KeyLimits#MAX_NAME_CHARS} characters without control characters
     * @param scopes      scope names ({@link ScopeName#wireName}), at least one, none twice
     * @param axonIds     the axons the key is limited to (at least one, at most {@code keys.max-axon-ids}, each
     *                    1..{@value KeyLimits#MAX_NAME_CHARS} visible ASCII characters), or null for every axon
     * @param expiresAtMs when the key stops working (epoch ms, in the future), or null for never
     */
    public record NewKey(String name, List<String> scopes, List<String> axonIds, Long expiresAtMs) {}

    /**
     * A key with its secret: the only time the secret is known to the server.
     *
     * @param secret what the client sends as {@code Authorization: Bearer <secret>}
     */
    public record Issued(ApiKey key, String secret) {}

    public KeyLimits limits() {
        return limits;
    }

    /**
     * Creates a key.
     *
     * @throws MyelinException 400 naming the field that breaks a rule above (or a server-wide scope given with
     *                         {@code axon_ids}); 403 when {@code caller} does not hold a scope it grants; 409 when
     *                         {@code keys.max-keys} keys already work
     */
    public Issued create(Caller caller, NewKey request) {
        String name = name(request.name());
        Set<ScopeName> scopes = scopes(request.scopes(), request.axonIds() != null);
        Set<String> axons = axonIds(request.axonIds());
        long now = keys.clock().millis();
        if (request.expiresAtMs() != null && request.expiresAtMs() <= now) {
            throw MyelinException.invalid("expires_at_ms", "expires_at_ms must be in the future; it is "
                    + request.expiresAtMs() + " and the server's time is " + now);
        }
        policy.checkGrant(caller, scopes, axons, "grant");
        String secret = ApiKeys.generate();
        String hash = ApiKeys.hash(secret);
        changes.lock();
        try {
            int working = keys.working(now);
            if (working >= limits.maxKeys()) {
                throw new MyelinException(ErrorKind.CONFLICT, null, working + " keys work already, the most"
                        + " keys.max-keys allows: revoke one first");
            }
            ApiKey key = new ApiKey(ApiKeys.newKeyId(), name, scopes, axons, request.expiresAtMs(), now, null, null,
                    false);
            keys.store().insert(key, hash, () -> keys.put(new KeyStore.Stored(key, hash, null)));
            return new Issued(key, secret);
        } finally {
            changes.unlock();
        }
    }

    /**
     * Gives the key {@code id} a new secret; the old one keeps working for {@code graceMs} (null: {@code
     * keys.rotation-grace}; 0: it stops at once). A second rotation within the grace period ends the first one's
     * old secret at once: a key has at most two working secrets.
     *
     * @throws MyelinException 400 naming {@code grace_ms} outside 0..{@code keys.max-rotation-grace}; 403 when
     *                         {@code caller} does not hold every scope of the key; 404 for an unknown key; 409 for a
     *                         revoked key or the bootstrap admin key
     */
    public Issued rotate(Caller caller, String id, Long graceMs) {
        long max = limits.maxRotationGrace().toMillis();
        long grace = graceMs == null ? limits.rotationGrace().toMillis() : graceMs;
        if (grace < 0 || grace > max) {
            throw MyelinException.invalid("grace_ms", "grace_ms must be between 0 and " + max
                    + " (keys.max-rotation-grace), got " + grace);
        }
        String secret = ApiKeys.generate();
        String hash = ApiKeys.hash(secret);
        changes.lock();
        try {
            KeyStore.Stored current = manageable(caller, id, "rotate");
            long until = keys.clock().millis() + grace;
            ApiKey rotated = current.key().rotated(until);
            if (!keys.store().rotate(id, hash, until, () -> keys.put(new KeyStore.Stored(rotated, hash, current.hash())))) {
                throw revokedMeanwhile(id);
            }
            return new Issued(rotated, secret);
        } finally {
            changes.unlock();
        }
    }

    /**
     * Revokes the key {@code id}: it stops working before this returns, and streams it holds open are told
     * ({@link ApiKeys#onRevoked}). Revoking a revoked key answers it as it is.
     *
     * @throws MyelinException 403 when {@code caller} does not hold every scope of the key; 404 for an unknown key;
     *                         409 for the bootstrap admin key
     */
    public ApiKey revoke(Caller caller, String id) {
        changes.lock();
        try {
            if (keys.live(id) == null) {
                return get(caller, id);
            }
            KeyStore.Stored current = manageable(caller, id, "revoke");
            long now = keys.clock().millis();
            if (!keys.store().revoke(id, now, () -> keys.revoked(id))) {
                throw revokedMeanwhile(id);
            }
            return current.key().revoked(now);
        } finally {
            changes.unlock();
        }
    }

    /**
     * The key {@code id}, revoked or not; never its secret.
     *
     * @throws MyelinException 404 for an unknown key
     */
    public ApiKey get(Caller caller, String id) {
        ApiKey key = keys.store().find(id);
        if (key == null) {
            throw MyelinException.notFound("key", id);
        }
        return key;
    }

    /** A page of every key, revoked ones included, in creation order (see {@link KeyStore#list}). */
    public KeyPage list(Caller caller, String startingAfter, int limit, MemoryBudget.Lease memory) {
        return keys.store().list(startingAfter, limit, limits.maxPageBytes(), memory);
    }

    private KeyStore.Stored manageable(Caller caller, String id, String verb) {
        KeyStore.Stored current = keys.live(id);
        if (current == null) {
            ApiKey stored = get(caller, id);
            throw new MyelinException(ErrorKind.CONFLICT, null, "key " + stored.id() + " was revoked at "
                    + Instant.ofEpochMilli(stored.revokedAtMs()) + "; create a new key instead");
        }
        if (current.key().bootstrap()) {
            throw new MyelinException(ErrorKind.CONFLICT, null, "key " + id + " is the admin key of the admin-key"
                    + " setting (or admin.key): to " + verb + " it, configure another admin-key and restart");
        }
        policy.checkGrant(caller, current.key().scopes(), current.key().axonIds(), verb + " " + id + ", which holds");
        return current;
    }

    private static MyelinException revokedMeanwhile(String id) {
        return new MyelinException(ErrorKind.CONFLICT, null, "key " + id + " was revoked meanwhile");
    }

    private static String name(String name) {
        if (name == null || name.isEmpty()) {
            throw MyelinException.invalid("name", "name is required: 1.." + KeyLimits.MAX_NAME_CHARS + " characters");
        }
        if (name.length() > KeyLimits.MAX_NAME_CHARS) {
            throw MyelinException.invalid("name", "name is " + name.length() + " characters; the limit is "
                    + KeyLimits.MAX_NAME_CHARS);
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw MyelinException.invalid("name", "name holds a control character at position " + i);
            }
        }
        return name;
    }

    private static Set<ScopeName> scopes(List<String> names, boolean limited) {
        if (names == null || names.isEmpty()) {
            throw MyelinException.invalid("scopes", "scopes must name at least one scope; scopes are: "
                    + ScopeName.known());
        }
        Set<ScopeName> out = EnumSet.noneOf(ScopeName.class);
        for (int i = 0; i < names.size(); i++) {
            String field = "scopes[" + i + "]";
            ScopeName s = ScopeName.parse(field, names.get(i));
            if (!out.add(s)) {
                throw MyelinException.invalid(field, field + " repeats " + s.wireName());
            }
            if (limited && s.serverWide()) {
                throw MyelinException.invalid(field, "scope " + s.wireName() + " acts on the server as a whole and"
                        + " cannot be limited to axon_ids: give it in a key without axon_ids");
            }
        }
        return out;
    }

    private Set<String> axonIds(List<String> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.isEmpty()) {
            throw MyelinException.invalid("axon_ids", "axon_ids must name at least one axon; leave it out for every axon");
        }
        if (ids.size() > limits.maxAxonIds()) {
            throw MyelinException.invalid("axon_ids", "axon_ids names " + ids.size() + " axons; the limit is "
                    + limits.maxAxonIds() + " (keys.max-axon-ids)");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String field = "axon_ids[" + i + "]";
            String id = ids.get(i);
            if (id == null || id.isEmpty() || id.length() > KeyLimits.MAX_NAME_CHARS
                    || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw MyelinException.invalid(field, field + " must be an axon id: 1.." + KeyLimits.MAX_NAME_CHARS
                        + " visible ASCII characters");
            }
            if (!out.add(id)) {
                throw MyelinException.invalid(field, field + " repeats " + id);
            }
        }
        return out;
    }
}
