package io.myelin.intent;

import java.util.List;

/**
 * One page of intents in creation order ({@code {intents, has_more, total_count}}).
 *
 * @param totalCount every intent the filter matches for this caller, or null when not asked for
 */
public record IntentPage(List<Intent> intents, boolean hasMore, Long totalCount) {
    public IntentPage {
        intents = List.copyOf(intents);
    }
}
