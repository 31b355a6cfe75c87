package io.myelin.client;

import java.util.List;

/**
 * One page of an axon's journal, in recording order, without chunks.
 *
 * @param steps   the page's steps
 * @param hasMore true when more steps follow: ask again with {@code startingAfter} = the last step's name
 */
public record JournalPage(List<JournalStep> steps, boolean hasMore) {
    public JournalPage {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
