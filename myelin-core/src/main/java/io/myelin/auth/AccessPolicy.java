package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.HashSet;
import java.util.Set;

/**
 * The one place that decides what a caller may do, from its {@link Scope}s. The HTTP layer calls {@link #check}
 * before every authenticated route; {@code Axons.list} applies {@link #visible}. There is no other authorisation
 * path to keep in step.
 *
 * <p>Rules: an action on an axon is allowed when some scope grants it on that axon or on every axon. A
 * server-wide action (axon create, metrics) needs a scope over every axon. Listing is allowed to every caller and
 * shows the axons it may read ({@link Action#AXON_READ}), so a list never reveals an axon its caller could not get.
 *
 * <p>Thread-safe (stateless).
 */
public final class AccessPolicy {

    /**
     * @param axonId the axon the action targets, or null for server-wide actions (create, list, metrics)
     * @throws MyelinException 403 FORBIDDEN, naming the key id, the action and the axon, when not allowed
     */
    public void check(Caller caller, Action action, String axonId) {
        if (action == Action.AXON_LIST) {
            return;
        }
        for (Scope s : caller.scopes()) {
            if (s.allows(action, axonId)) {
                return;
            }
        }
        throw new MyelinException(ErrorKind.FORBIDDEN, null,
                "key " + caller.keyId() + " may not " + action + (axonId == null ? "" : " on " + axonId));
    }

    /** The axons {@code caller} may see in a listing: those it may read. */
    public AxonVisibility visible(Caller caller) {
        Set<String> ids = new HashSet<>();
        for (Scope s : caller.scopes()) {
            if (s.actions().contains(Action.AXON_READ)) {
                if (s.axonId() == null) {
                    return AxonVisibility.ALL;
                }
                ids.add(s.axonId());
            }
        }
        return AxonVisibility.only(ids);
    }
}
