package io.myelin.auth;

import java.util.List;

/**
 * A page of {@code GET /v1/keys}.
 *
 * @param keys       in creation order; never a secret
 * @param hasMore    true when more keys follow the last one
 * @param totalCount every key stored, revoked ones included
 */
public record KeyPage(List<ApiKey> keys, boolean hasMore, long totalCount) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
