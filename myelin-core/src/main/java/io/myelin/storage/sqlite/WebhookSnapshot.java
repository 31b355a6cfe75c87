package io.myelin.storage.sqlite;

import io.myelin.webhook.EventTypeFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhooks as the outbox matches events against them, in memory: those for every axon, and those for one axon by
 * its id. Changed only by the webhook create and delete ops (undone with their savepoint), so it always says what the
 * committed table plus the current group say. With no webhook, matching an append costs one {@code isEmpty} check.
 * Confined to the writer thread.
 */
final class WebhookSnapshot {
    /** One webhook as matching needs it. */
    record Hook(long pk, String id, String axonId, EventTypeFilter filter) {}

    private final List<Hook> everyAxon = new ArrayList<>();
    private final Map<String, List<Hook>> byAxon = new HashMap<>();
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** The webhooks for every axon (never null; do not change it). */
    List<Hook> everyAxon() {
        return everyAxon;
    }

    /** The webhooks for this axon only, or null. */
    List<Hook> forAxon(String axonId) {
        return byAxon.get(axonId);
    }

    void add(Hook h) {
        if (h.axonId() == null) {
            everyAxon.add(h);
        } else {
            byAxon.computeIfAbsent(h.axonId(), k -> new ArrayList<>()).add(h);
        }
        size++;
    }

    /** Removes the webhook with this pk; returns it, or null when it is not here. */
    Hook remove(long pk) {
        Hook found = removeFrom(everyAxon, pk);
        if (found == null) {
            for (Map.Entry<String, List<Hook>> e : byAxon.entrySet()) {
                found = removeFrom(e.getValue(), pk);
                if (found != null) {
                    if (e.getValue().isEmpty()) {
                        byAxon.remove(e.getKey());
                    }
                    break;
                }
            }
        }
        if (found != null) {
            size--;
        }
        return found;
    }

    private static Hook removeFrom(List<Hook> hooks, long pk) {
        for (int i = 0; i < hooks.size(); i++) {
            if (hooks.get(i).pk() == pk) {
                return hooks.remove(i);
            }
        }
        return null;
    }
}
