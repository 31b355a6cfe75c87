package io.myelin.devbox;

import java.util.List;

/**
 * One page of devboxes in creation order (wire shape: Runloop {@code DevboxListView}).
 *
 * @param totalCount every devbox the filter matches for this caller, or null when not asked for
 */
public record DevboxPage(List<Devbox> devboxes, boolean hasMore, Long totalCount) {
    public DevboxPage {
        devboxes = List.copyOf(devboxes);
    }
}
