package io.myelin.client;

import java.util.List;

/**
 * One page of an axon's history, newest first.
 *
 * @param events     the events, highest sequence first (unmodifiable)
 * @param hasMore    whether older events exist beyond this page
 * @param totalCount total number of events in the axon when the server counted them, else {@code null}
 */
public record EventPage(List<AxonEvent> events, boolean hasMore, Long totalCount) {
    /** Copies {@code events} so the record stays immutable; {@code null} becomes empty. */
    public EventPage {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The cursor for the next (older) page: the lowest sequence on this page, or {@code null} if empty. */
    public Long nextCursor() {
        return events.isEmpty() ? null : events.getLast().sequence();
    }
}
