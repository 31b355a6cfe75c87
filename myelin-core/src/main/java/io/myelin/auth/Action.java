package io.myelin.auth;

/** Everything a request can ask to do, checked by {@link AccessPolicy}. */
public enum Action {
    AXON_CREATE, AXON_READ, AXON_UPDATE, AXON_DELETE, AXON_LIST,
    EVENT_PUBLISH, EVENT_READ, EVENT_SUBSCRIBE,
    SQL_QUERY, SQL_WRITE,
    /** Run a broker on the axon: read and save its broker state, append the broker's system events. */
    BROKER_RUN,
    SERVER_METRICS
}
