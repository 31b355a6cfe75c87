package io.myelin.devbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.QueuedWrite;
import io.myelin.stream.Appended;
import io.myelin.stream.EventLog;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a devbox's axons that its status changed: a {@code SYSTEM_EVENT} {@code devbox.running},
 * {@code devbox.suspended}, {@code devbox.shutdown} or {@code devbox.failed} with payload
 * {@code {"devbox_id": ..., "reason"?: ...}} on the axon of each of its broker mounts, as Runloop's remote-agents
 * client reads them. Other statuses are passages and publish nothing.
 *
 * <p>A publish that fails (the axon was deleted, the disk is full) is logged and does not stop the devbox.
 * Threading: thread-safe; {@link #publish} and {@link #settle} block until the events are durable, {@link #queue}
 * only until they are queued.
 */
final class LifecycleEvents {
    private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLog events;

    LifecycleEvents(EventLog events) {
        this.events = events;
    }

    /** The event type for {@code status}, or null when it publishes none. */
    static String eventType(DevboxStatus status) {
        return switch (status) {
            case RUNNING -> "devbox.running";
            case SUSPENDED -> "devbox.suspended";
            case SHUTDOWN -> "devbox.shutdown";
            case FAILURE -> "devbox.failed";
            default -> null;
        };
    }

    /** @param reason why ({@code idle}, {@code api_shutdown}, a failure's description), or null */
    void publish(String devboxId, List<String> axons, DevboxStatus status, String reason) {
        settle(devboxId, status, queue(devboxId, axons, status, reason));
    }

    /**
     * Queues the event on every axon and returns at once (see {@link EventLog#publishSystemQueued}): what is queued
     * after this returns lands behind it. {@link #settle} waits for them.
     */
    List<Queued> queue(String devboxId, List<String> axons, DevboxStatus status, String reason) {
        String type = eventType(status);
        if (type == null || axons.isEmpty()) {
            return List.of();
        }
        ObjectNode payload = JSON.createObjectNode().put("devbox_id", devboxId);
        if (reason != null) {
            payload.put("reason", reason);
        }
        String text;
        try {
            text = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a two-field JSON object always encodes", e);
        }
        List<Queued> out = new ArrayList<>(axons.size());
        for (String axon : axons) {
            try {
                out.add(new Queued(axon, events.publishSystemQueued(axon, type, text)));
            } catch (MyelinException e) {
                notPublished(devboxId, type, axon, e);
            }
        }
        return out;
    }

    /** Waits until every queued event is durable; one that failed is logged. */
    void settle(String devboxId, DevboxStatus status, List<Queued> queued) {
        for (Queued q : queued) {
            try {
                q.write().await();
            } catch (MyelinException e) {
                notPublished(devboxId, eventType(status), q.axon(), e);
            }
        }
    }

    private static void notPublished(String devboxId, String type, String axon, MyelinException e) {
        if (e.kind() == ErrorKind.NOT_FOUND) {
            log.debug("devbox {}: {} not published on axon {}: it was deleted", devboxId, type, axon);
        } else {
            log.warn("devbox {}: {} not published on axon {}: {}", devboxId, type, axon, e.getMessage());
        }
    }

    /** One lifecycle event queued on {@code axon}. */
    record Queued(String axon, QueuedWrite<Appended> write) {}
}
