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
    WEBHOOK_MANAGE,
    /** Create an intent on the axon. */
    INTENT_CREATE,
    /** Read one intent or long-poll it; what an intent listing shows. */
    INTENT_READ,
    /** Resolve or cancel one intent. */
    INTENT_RESOLVE,
    /** List intents: every caller may, and sees those on axons it may {@link #INTENT_READ}. */
    INTENT_LIST;

    /**
     * True for actions on one devbox. Who may perform them depends on the devbox's mounts, which only the devbox
     * layer knows: it asks {@link AccessPolicy#checkDevbox} once it has the devbox, instead of the HTTP layer asking
     * {@link AccessPolicy#check} before the route.
     */
    public boolean onOneDevbox() {
        return this == DEVBOX_READ || this == DEVBOX_CONTROL;
    }

    /**
     * True for actions on one intent, whose path names the intent, not its axon: the intent layer asks
     * {@link AccessPolicy#allows} once it has the intent, and answers 404 to a caller who may not read it.
     */
    public boolean onOneIntent() {
        return this == INTENT_READ || this == INTENT_RESOLVE;
    }
}
