package io.myelin.client;

/**
 * Which intents {@link Intents#list(IntentFilter)} returns: every condition given must hold. Immutable; each
 * {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * IntentFilter mine = IntentFilter.all().status(IntentStatus.WAITING).waitingFor(WaitingFor.HUMAN).assignee("alice");
 * }</pre>
 *
 * @param axonId     only the intents of this axon, or {@code null}
 * @param status     only intents in this status, or {@code null}
 * @param waitingFor only intents waiting for this, or {@code null}
 * @param assignee   only intents assigned to this, or {@code null}
 * @param kind       only intents of this kind, or {@code null}
 * @param pageSize   how many intents to fetch per request (1..1000)
 */
public record IntentFilter(String axonId, IntentStatus status, WaitingFor waitingFor, String assignee, String kind,
                           int pageSize) {
    /** The largest page the server serves. */
    public static final int MAX_PAGE_SIZE = 1000;

    /** Refuses what cannot be sent: a page size out of range, statuses this client does not know. */
    public IntentFilter {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        if (status == IntentStatus.UNKNOWN || waitingFor == WaitingFor.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a value to list by");
        }
    }

    /** No filtering, 100 intents per page. */
    public static IntentFilter all() {
        return new IntentFilter(null, null, null, null, null, 100);
    }

    /** Only the intents of {@code axonId} ({@code null}: any). */
    public IntentFilter axonId(String id) {
        return new IntentFilter(id, status, waitingFor, assignee, kind, pageSize);
    }

    /** Only intents in {@code s} ({@code null}: any). */
    public IntentFilter status(IntentStatus s) {
        return new IntentFilter(axonId, s, waitingFor, assignee, kind, pageSize);
    }

    /** Only intents waiting for {@code w} ({@code null}: any). */
    public IntentFilter waitingFor(WaitingFor w) {
        return new IntentFilter(axonId, status, w, assignee, kind, pageSize);
    }

    /** Only intents assigned to {@code who} ({@code null}: any). */
    public IntentFilter assignee(String who) {
        return new IntentFilter(axonId, status, waitingFor, who, kind, pageSize);
    }

    /** Only intents of kind {@code k} ({@code null}: any). */
    public IntentFilter kind(String k) {
        return new IntentFilter(axonId, status, waitingFor, assignee, k, pageSize);
    }

    /** How many intents each request fetches (1..1000); does not limit the total. */
    public IntentFilter pageSize(int size) {
        return new IntentFilter(axonId, status, waitingFor, assignee, kind, size);
    }
}
