package io.myelin.client;

import java.util.Map;

/**
 * Creating, reading, updating, deleting and listing axons. Obtain it from {@link MyelinClient#axons()}.
 *
 * <pre>{@code
 * Axon a = client.axons().create("support-chat", Map.of("team", "support"));
 * client.axons().updateMetadata(a.id(), Map.of("team", "support", "tier", "gold"));
 * for (Axon each : client.axons().list(AxonFilter.all().metadata("team", "support"))) { ... }
 * client.axons().delete(a.id());
 * }</pre>
 *
 * <p>Threading: safe for concurrent use by any number of threads.
 */
public interface Axons {
    /** Creates an axon with no name and no metadata. */
    default Axon create() {
        return create(null, Map.of());
    }

    /**
     * Creates an axon.
     *
     * @param name     optional name ({@code null} for none)
     * @param metadata string pairs to attach (may be empty)
     */
    Axon create(String name, Map<String, String> metadata);

    /** Reads one axon; throws {@link NotFoundException} if it does not exist or was deleted. */
    Axon get(String axonId);

    /**
     * Replaces an axon's metadata with {@code metadata}; an empty map clears it.
     *
     * @return the axon after the update
     */
    Axon updateMetadata(String axonId, Map<String, String> metadata);

    /** Deletes an axon; later reads of it answer 404. */
    void delete(String axonId);

    /** Every axon, in creation order. Same as {@code list(AxonFilter.all())}. */
    default Paged<Axon> list() {
        return list(AxonFilter.all());
    }

    /**
     * The axons matching {@code filter}, in creation order, fetched page by page as the result is iterated.
     */
    Paged<Axon> list(AxonFilter filter);
}
