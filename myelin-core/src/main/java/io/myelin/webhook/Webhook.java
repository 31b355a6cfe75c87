package io.myelin.webhook;

import java.util.List;

/**
 * A webhook as clients see it (never with its secret): where matching events are pushed.
 *
 * @param id          {@code wh_} + 26 random base32 characters
 * @param url         the target, an {@code http} or {@code https} URL (at most {@link WebhookOptions#MAX_URL_CHARS})
 * @param eventTypes  the event types it receives: exact ({@code intent.resolved}), a prefix ({@code intent.*}) or
 *                    {@code *}; see {@link EventTypeFilter}
 * @param axonId      only this axon's events, or null for every axon's
 * @param createdAtMs when it was created, ms since the epoch
 */
public record Webhook(String id, String url, List<String> eventTypes, String axonId, long createdAtMs) {
    public Webhook {
        eventTypes = List.copyOf(eventTypes);
    }
}
