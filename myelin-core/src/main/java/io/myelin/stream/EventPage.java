package io.myelin.stream;

import java.util.List;

/** A page of history, newest first (wire shape: AxonEventListView). {@code totalCount} is null when not asked for. */
public record EventPage(List<Event> events, boolean hasMore, Long totalCount) {}
