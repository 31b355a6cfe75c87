package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that decides what a caller may do, from its {@link Scope}s. The HTTP layer calls {@link #check}
 * before every authenticated route; {@code Axons.list} applies {@link #visible}. There is no other authorisation
 * path to keep in step.
 *
 * <p>Rules: an action on an axon is allowed when some scope grants it on that axon or on every axon. A key limited
 * to some axons that asks about another one is answered 404, as if it did not exist. A server-wide action (axon
 * create, devbox create, metrics, webhooks) needs a scope over every axon. Listing is allowed to
 * every caller and shows the axons it may read ({@link Action#AXON_READ}), so a list never reveals an axon its
 * caller could not get.
 *
 * <p>Devboxes: an action on one devbox ({@link Action#onOneDevbox}) is allowed when some scope grants it on every
 * axon, or when the devbox mounts at least one axon and the caller's scopes grant it on each of them: a devbox is
 * an agent working on its axons, so whoever may act on all of those may act on it. A devbox listing shows exactly
 * the devboxes the caller may read ({@link Action#DEVBOX_READ}).
 *
 * <p>Thread-safe (stateless).
 */
public final class AccessPolicy {

    /**
     * @param axonId the axon the action targets, or null for server-wide actions (create, list, metrics)
     * @throws MyelinException 404 NOT_FOUND, as for an axon that does not exist, when the caller's key is limited to
     *                         other axons ({@link #sees}: no existence leak); else 403 FORBIDDEN, naming the key id,
     *                         the action and the axon, when not allowed
     */
    public void check(Caller caller, Action action, String axonId) {
        if (action == Action.AXON_LIST || action == Action.DEVBOX_LIST || action == Action.INTENT_LIST
                || allows(caller, action, axonId)) {
            return;
        }
        if (axonId != null && !sees(caller, axonId)) {
            throw MyelinException.notFound("axon", axonId);
        }
        throw new MyelinException(ErrorKind.FORBIDDEN, null,
                "key " + caller.keyId() + " may not " + action + (axonId == null ? "" : " on " + axonId)
                        + needs(action));
    }

    /**
     * Whether some scope of {@code caller} reaches {@code axonId} at all, whatever it grants there: a key limited to
     * other axons does not, and is answered as if the axon did not exist.
     */
    public boolean sees(Caller caller, String axonId) {
        for (Scope s : caller.scopes()) {
            if (s.axonId() == null || s.axonId().equals(axonId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code caller} may hand out {@code scopes} (on {@code axonIds}, or on every axon when null): only when
     * it holds every action they grant there itself, so managing keys never gains more than the manager has. Also
     * asked before a key is rotated or revoked, with that key's scopes.
     *
     * @param what what the caller wants, for the message ({@code grant}, {@code rotate key_x, which holds})
     * @throws MyelinException 403 FORBIDDEN naming the first scope the caller does not hold
     */
    public void checkGrant(Caller caller, Set<ScopeName> scopes, Set<String> axonIds, String what) {
        for (ScopeName scope : scopes) {
            for (Action action : scope.actions()) {
                boolean held = axonIds == null ? allows(caller, action, null)
                        : axonIds.stream().allMatch(axon -> allows(caller, action, axon));
                if (!held) {
                    throw new MyelinException(ErrorKind.FORBIDDEN, "scopes", "key " + caller.keyId() + " may not "
                            + what + " scope " + scope.wireName() + ": it does not hold " + action
                            + (axonIds == null ? " on every axon" : " on each of those axons") + " itself");
                }
            }
        }
    }

    /** What a refusal adds: the scopes that would allow the action. */
    private static String needs(Action action) {
        String scopes = ScopeName.granting(action);
        return " (needs scope " + (scopes.isEmpty() ? "admin" : scopes) + ")";
    }

    /** Whether some scope of {@code caller} grants {@code action} on {@code axonId} (null: server-wide). */
    public boolean allows(Caller caller, Action action, String axonId) {
        for (Scope s : caller.scopes()) {
            if (s.allows(action, axonId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code caller} may perform {@code action} on a devbox that mounts {@code mountedAxons} (see the class
     * comment).
     *
     * @throws MyelinException 403 FORBIDDEN, naming the key id, the action and the devbox, when not allowed
     */
    public void checkDevbox(Caller caller, Action action, String devboxId, List<String> mountedAxons) {
        if (!allowsDevbox(caller, action, mountedAxons)) {
            throw new MyelinException(ErrorKind.FORBIDDEN, null,
                    "key " + caller.keyId() + " may not " + action + " on " + devboxId + needs(action));
        }
    }

    /** Whether {@code caller} may perform {@code action} on a devbox that mounts {@code mountedAxons}. */
    public boolean allowsDevbox(Caller caller, Action action, List<String> mountedAxons) {
        for (Scope s : caller.scopes()) {
            if (s.axonId() == null && s.actions().contains(action)) {
                return true;
            }
        }
        if (mountedAxons.isEmpty()) {
            return false;
        }
        for (String axon : mountedAxons) {
            boolean granted = false;
            for (Scope s : caller.scopes()) {
                granted |= s.allows(action, axon);
            }
            if (!granted) {
                return false;
            }
        }
        return true;
    }

    /** The axons {@code caller} may see in a listing: those it may read. */
    public AxonVisibility visible(Caller caller) {
        return holding(caller, Action.AXON_READ);
    }

    /**
     * Whose devboxes {@code caller} may see in a listing: every devbox, or those with at least one mount whose every
     * mount is on one of the returned axons ({@link Action#DEVBOX_READ}).
     */
    public AxonVisibility devboxesVisible(Caller caller) {
        return holding(caller, Action.DEVBOX_READ);
    }

    /** Whose intents {@code caller} may see in a listing: those on axons it may {@link Action#INTENT_READ}. */
    public AxonVisibility intentsVisible(Caller caller) {
        return holding(caller, Action.INTENT_READ);
    }

    private static AxonVisibility holding(Caller caller, Action action) {
        Set<String> ids = new HashSet<>();
        for (Scope s : caller.scopes()) {
            if (s.actions().contains(action)) {
                if (s.axonId() == null) {
                    return AxonVisibility.ALL;
                }
                ids.add(s.axonId());
            }
        }
        return AxonVisibility.only(ids);
    }
}
