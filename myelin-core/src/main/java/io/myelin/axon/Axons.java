package io.myelin.axon;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Caller;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.text.Utf8;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Axon lifecycle: create, read, replace metadata, delete, list. Validates every field, keeps the in-memory
 * {@link AxonIndex} (existence checks on the hot paths never touch storage), and stores through the
 * {@link AxonStore} port.
 *
 * <p>Delete tombstones the axon, drops it from the index, then tells every registered deletion listener (the event
 * log closes streams and purges events; Axon SQL drops the axon's database). Listeners run when the deletion is
 * durable, before the call returns, in commit order with every other write (on one node: the writer thread), so
 * they must be quick.
 *
 * <p>Every call that acts on data takes the {@link Caller} it acts for first. Access was checked before the call
 * (the HTTP layer asks {@link AccessPolicy#check}); here the caller is part of every retry fingerprint
 * ({@link RequestKey#sentBy}) and decides which axons a listing shows ({@link AccessPolicy#visible}).
 *
 * <p>Threading: thread-safe; calls block the caller (a virtual thread) until durable.
 */
public final class Axons {
    private final AxonStore store;
    private final AxonIndex index;
    private final AxonLimits limits;
    private final AccessPolicy policy;
    private final List<Consumer<LiveAxon>> deletionListeners = new CopyOnWriteArrayList<>();

    private Axons(AxonStore store, AxonIndex index, AxonLimits limits, AccessPolicy policy) {
        this.store = store;
        this.index = index;
        this.limits = limits;
        this.policy = policy;
    }

    /** Loads every live axon into a new index; {@code policy} decides what each caller's listings show. */
    public static Axons load(AxonStore store, AxonLimits limits, AccessPolicy policy) {
        AxonIndex index = new AxonIndex();
        for (LiveAxon axon : store.loadLive()) {
            index.put(axon);
        }
        return new Axons(store, index, limits, policy);
    }

    public AxonIndex index() {
        return index;
    }

    public AxonLimits limits() {
        return limits;
    }

    /** Registers a callback run after an axon's deletion is durable (see the class comment). */
    public void onDelete(Consumer<LiveAxon> listener) {
        deletionListeners.add(listener);
    }

    /**
     * Creates an axon.
     *
     * @param key the client's retry identity, or null; with a key, a repeat returns the axon created the first time
     */
    public Axon create(Caller caller, String name, Map<String, String> metadata, RequestKey key) {
        validateName(name);
        Map<String, String> md = metadata == null ? Map.of() : metadata;
        validateMetadata(md);
        return store.create(AxonIds.next(), name, md, RequestKey.sentBy(caller, key), index::put);
    }

    /** The axon, or 404. */
    public Axon get(Caller caller, String id) {
        Objects.requireNonNull(caller, "caller");
        Axon axon = store.get(index.require(id));
        if (axon == null) {
            throw MyelinException.notFound("axon", id);
        }
        return axon;
    }

    /**
     * Replaces the metadata; {@code null} leaves it unchanged, an empty map clears it. Returns the axon as it is
     * after the change.
     *
     * @param key the client's retry identity, or null; with a key, a repeat returns the first answer unchanged
     */
    public Axon updateMetadata(Caller caller, String id, Map<String, String> metadata, RequestKey key) {
        LiveAxon live = index.require(id);
        if (metadata == null) {
            return get(caller, id);
        }
        validateMetadata(metadata);
        return store.updateMetadata(live, metadata, RequestKey.sentBy(caller, key), () -> {});
    }

    /**
     * Deletes an axon: at once invisible everywhere; its events are removed in the background. Returns the axon as
     * it was.
     *
     * @param key the client's retry identity, or null; with a key, a repeat after the deletion returns the first
     *            answer instead of 404
     */
    public Axon delete(Caller caller, String id, RequestKey key) {
        LiveAxon live = index.find(id);
        return store.delete(id, live, RequestKey.sentBy(caller, key), () -> {
            index.remove(live);
            for (Consumer<LiveAxon> l : deletionListeners) {
                l.accept(live);
            }
        });
    }

    /**
     * A page of the axons {@code caller} may see ({@link AccessPolicy#visible}); one that would pass
     * {@code limits.max-page-bytes} once encoded ends early with has_more. {@code total_count} counts only those.
     */
    public AxonPage list(Caller caller, AxonFilter filter) {
        return list(caller, filter, MemoryBudget.unbounded().lease());
    }

    /**
     * {@link #list(Caller, AxonFilter)} with the page held in {@code memory} until the caller has written it.
     *
     * @throws MyelinException 503 (retry shortly) when the server's budget for answers held in memory is spent
     */
    public AxonPage list(Caller caller, AxonFilter filter, MemoryBudget.Lease memory) {
        if (filter.limit() < 1 || filter.limit() > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit() + ", got " + filter.limit());
        }
        validateFilter(filter);
        return store.list(filter, policy.visible(caller), index.size(), limits.maxPageBytes(), memory);
    }

    private void validateName(String name) {
        if (name == null) {
            return;
        }
        if (name.length() > limits.maxNameChars()) {
            throw MyelinException.invalid("name", "name is " + name.length() + " characters; the limit is " + limits.maxNameChars());
        }
        Utf8.checkedLength(name, "name");
    }

    private void validateMetadata(Map<String, String> md) {
        Metadata.check(md, limits, "metadata");
    }

    /** Filter text must be valid Unicode and filter keys follow the stored-key rule, each named as sent. */
    private void validateFilter(AxonFilter f) {
        for (String[] text : new String[][] {{"id", f.id()}, {"name", f.namePrefix()}, {"search", f.search()},
                {"starting_after", f.startingAfter()}}) {
            if (text[1] != null) {
                Utf8.checkedLength(text[1], text[0]);
            }
        }
        if (f.metadataEquals() != null) {
            for (Map.Entry<String, String> e : f.metadataEquals().entrySet()) {
                String field = "metadata[" + e.getKey() + "]";
                MetadataKeys.check(e.getKey(), limits.maxMetadataKeyChars(), field);
                Utf8.checkedLength(e.getValue(), field);
            }
        }
        if (f.metadataIn() != null) {
            for (Map.Entry<String, List<String>> e : f.metadataIn().entrySet()) {
                String field = "metadata[" + e.getKey() + "][in]";
                MetadataKeys.check(e.getKey(), limits.maxMetadataKeyChars(), field);
                for (String v : e.getValue()) {
                    Utf8.checkedLength(v, field);
                }
            }
        }
    }
}
