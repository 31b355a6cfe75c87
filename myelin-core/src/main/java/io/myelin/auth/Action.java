package io.myelin.auth;

/** Everything a request can ask to do, checked by {@link AccessPolicy}. */
public enum Action {
    AXON_CREATE, AXON_READ, AXON_UPDATE, AXON_DELETE, AXON_LIST,
    EVENT_PUBLISH, EVENT_READ, EVENT_SUBSCRIBE,
    SQL_QUERY, SQL_WRITE,
    /** Run a broker on the axon: read and save its broker state, append the broker's system events. */
    BROKER_RUN,
    SERVER_METRICS,
    /** Create a devbox: runs processes on the server, so it is server-wide. */
    DEVBOX_CREATE,
    /** Read one devbox or wait for its status. */
    DEVBOX_READ,
    /** Suspend, resume, keep alive or shut down one devbox. */
    DEVBOX_CONTROL,
    DEVBOX_LIST,
    /** Read webhooks and their deliveries: server-wide (a webhook may report on any axon). */
    WEBHOOK_READ,
    /** Create and delete webhooks, retry their deliveries: server-wide. */
    WEBHOOK_MANAGE;

    /**
     * True for actions on one devbox. Who may perform them depends on the devbox's mounts, which only the devbox
     * layer knows: it asks {@link AccessPolicy#checkDevbox} once it has the devbox, instead of the HTTP layer asking
     * {@link AccessPolicy#check} before the route.
     */
    public boolean onOneDevbox() {
        return this == DEVBOX_READ || this == DEVBOX_CONTROL;
    }
}
