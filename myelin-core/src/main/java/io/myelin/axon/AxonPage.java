package io.myelin.axon;

import java.util.List;

/** One page of axons in creation order (wire shape: AxonListView). {@code totalCount} is null when not asked for. */
public record AxonPage(List<Axon> axons, boolean hasMore, Long totalCount) {}
