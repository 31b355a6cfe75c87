package io.myelin.auth;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;

/**
 * The one place that decides whether a principal may perform an action on an axon. Every authenticated route
 * calls {@link #check}; there is no other authorisation path to keep in step.
 */
public final class AccessPolicy {

    /**
     * @param axonId the axon the action targets, or null for server-wide actions (create, list, metrics)
     * @throws MyelinException FORBIDDEN when not allowed
     */
    public void check(Principal principal, Action action, String axonId) {
        if (principal.role() == Role.ADMIN) {
            return;
        }
        throw new MyelinException(ErrorKind.FORBIDDEN, null,
                "key '" + principal.keyName() + "' may not " + action + (axonId == null ? "" : " on " + axonId));
    }
}
