package io.myelin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Which axons a caller may see in a listing: all of them, or exactly the axons in {@code ids} (maybe none).
 * Built by {@link AccessPolicy#visible}; applied by {@code Axons.list}.
 *
 * @param all true when every axon is visible ({@code ids} is then empty and means nothing)
 * @param ids the visible axons when {@code all} is false
 */
public record AxonVisibility(boolean all, Set<String> ids) {
    public static final AxonVisibility ALL = new AxonVisibility(true, Set.of());

    public AxonVisibility {
        ids = Set.copyOf(Objects.requireNonNull(ids, "ids"));
        if (all && !ids.isEmpty()) {
            throw new IllegalArgumentException("visibility of all axons lists no ids");
        }
    }

    /** Only the axons in {@code ids}. */
    public static AxonVisibility only(Set<String> ids) {
        return new AxonVisibility(false, ids);
    }
}
