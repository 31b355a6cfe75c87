package io.myelin.auth;

import io.myelin.error.MyelinException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scopes an API key may be given ({@code POST /v1/keys {scopes: [...]}}) and the {@link Action}s each grants:
 * the one table that knows it. A key's scopes add up; {@link ApiKey#grants} turns them, with the key's axon limit,
 * into the {@link Scope}s {@link AccessPolicy} reads.
 *
 * <p>A scope marked server-wide grants only actions on the server as a whole (keys, metrics, the audit log,
 * webhooks): it cannot be limited to axons, and a key with an axon limit cannot hold it.
 */
public enum ScopeName {
    /** Every action everywhere: the bootstrap key's scope. */
    ADMIN("admin", true, EnumSet.allOf(Action.class)),
    /** Create, list, rotate and revoke keys, granting at most the scopes the managing key holds itself. */
    KEYS_MANAGE("keys:manage", true, EnumSet.of(Action.KEY_MANAGE)),
    AXONS_READ("axons:read", false, EnumSet.of(Action.AXON_READ, Action.AXON_LIST)),
    /** Create (only without an axon limit), update and delete axons. */
    AXONS_WRITE("axons:write", false, EnumSet.of(Action.AXON_CREATE, Action.AXON_UPDATE, Action.AXON_DELETE)),
    /**
     * History and the SSE stream; and reading intents, whose every change is an event in that stream already (so an
     * agent that creates an intent with {@link #EVENTS_WRITE} and waits on it needs {@code events:read} too).
     */
    EVENTS_READ("events:read", false, EnumSet.of(Action.EVENT_READ, Action.EVENT_SUBSCRIBE, Action.INTENT_READ,
            Action.INTENT_LIST)),
    /**
     * Publish, and create intents: an intent is an agent waiting on the axon, announced as an {@code intent.created}
     * event in its stream, so whoever may write the stream may create one.
     */
    EVENTS_WRITE("events:write", false, EnumSet.of(Action.EVENT_PUBLISH, Action.INTENT_CREATE)),
    /** Axon SQL statements that SQLite reports read-only; any other statement is 403. */
    SQL_READ("sql:read", false, EnumSet.of(Action.SQL_QUERY)),
    /** Any Axon SQL statement and batch. */
    SQL_WRITE("sql:write", false, EnumSet.of(Action.SQL_QUERY, Action.SQL_WRITE)),
    INTENTS_READ("intents:read", false, EnumSet.of(Action.INTENT_READ, Action.INTENT_LIST)),
    /** Resolve and cancel intents; it reads them too, since an intent is resolved by whoever may see it. */
    INTENTS_RESOLVE("intents:resolve", false, EnumSet.of(Action.INTENT_READ, Action.INTENT_LIST, Action.INTENT_RESOLVE)),
    JOURNAL_READ("journal:read", false, EnumSet.of(Action.JOURNAL_READ)),
    /** Record, append to, complete and forget steps; it reads them too, as a step is recorded only once. */
    JOURNAL_WRITE("journal:write", false, EnumSet.of(Action.JOURNAL_READ, Action.JOURNAL_WRITE)),
    /** What operators watch: the server's metrics. */
    AUDIT_READ("audit:read", true, EnumSet.of(Action.SERVER_METRICS)),
    /** Devboxes (create only without an axon limit) and brokers, the agents running on axons. */
    AGENTS_MANAGE("agents:manage", false, EnumSet.of(Action.DEVBOX_CREATE, Action.DEVBOX_READ, Action.DEVBOX_CONTROL,
            Action.DEVBOX_LIST, Action.BROKER_RUN)),
    /** Webhooks and their deliveries: a webhook may report on any axon, so server-wide. */
    WEBHOOKS_MANAGE("webhooks:manage", true, EnumSet.of(Action.WEBHOOK_READ, Action.WEBHOOK_MANAGE));

    private final String wireName;
    private final boolean serverWide;
    private final Set<Action> actions;

    ScopeName(String wireName, boolean serverWide, Set<Action> actions) {
        this.wireName = wireName;
        this.serverWide = serverWide;
        this.actions = Set.copyOf(actions);
    }

    /** The name on the wire and in the CLI: {@code axons:read}. */
    public String wireName() {
        return wireName;
    }

    /** True when the scope cannot be limited to axons (see the class comment). */
    public boolean serverWide() {
        return serverWide;
    }

    /** What the scope grants; may be empty. */
    public Set<Action> actions() {
        return actions;
    }

    /** Every scope name, as on the wire, comma-separated: for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(ScopeName::wireName).collect(Collectors.joining(", "));
    }

    /** The scopes that grant {@code action}, but {@code admin}, as the wire names them: for refusals. */
    public static String granting(Action action) {
        return Arrays.stream(values()).filter(s -> s != ADMIN && s.actions.contains(action)).map(ScopeName::wireName)
                .collect(Collectors.joining(" or "));
    }

    /**
     * The scope named {@code wireName}.
     *
     * @throws MyelinException 400 naming {@code field} and listing the known scopes when there is none
     */
    public static ScopeName parse(String field, String wireName) {
        for (ScopeName s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        throw MyelinException.invalid(field, field + " '" + wireName + "' is not a scope; scopes are: " + known());
    }
}
