package io.myelin.axon;

import io.myelin.error.MyelinException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live axon, by id. Loaded from storage at start, then maintained by the writer thread as axons are
 * created and deleted. Lookups are lock-free, so the hot publish and subscribe paths never touch storage to learn
 * whether an axon exists.
 */
public final class AxonIndex {
    private final ConcurrentHashMap<String, LiveAxon> byId = new ConcurrentHashMap<>();

    void put(LiveAxon axon) {
        byId.put(axon.id(), axon);
    }

    void remove(LiveAxon axon) {
        axon.markDeleted();
        byId.remove(axon.id(), axon);
    }

    /** The live axon with this id, or a 404 {@link MyelinException}. */
    public LiveAxon require(String id) {
        LiveAxon axon = id == null ? null : byId.get(id);
        if (axon == null) {
            throw MyelinException.notFound("axon", id);
        }
        return axon;
    }

    public LiveAxon find(String id) {
        return id == null ? null : byId.get(id);
    }

    public int size() {
        return byId.size();
    }
}
