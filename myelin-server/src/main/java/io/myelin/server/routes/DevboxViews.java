package io.myelin.server.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.devbox.Devbox;
import io.myelin.devbox.DevboxPage;
import io.myelin.devbox.LaunchParameters;
import io.myelin.devbox.LifecycleConfiguration;
import io.myelin.devbox.StateTransition;
import io.myelin.server.http.Json;
import java.util.List;
import java.util.Map;

/**
 * Renders devboxes in Runloop's wire shapes ({@code DevboxView}, {@code DevboxListView}). Built field by field
 * rather than mapped from the engine's records: the view spells statuses and enums as the wire does, and writes
 * {@code null} where Runloop's schema has a nullable field ({@code end_time_ms}, {@code shutdown_reason},
 * {@code failure_reason}, {@code name}) instead of leaving it out.
 */
final class DevboxViews {
    private DevboxViews() {}

    static ObjectNode view(Devbox d) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("id", d.id());
        v.put("name", d.spec().name());
        v.put("status", d.status().wireName());
        v.put("create_time_ms", d.createTimeMs());
        v.put("end_time_ms", d.endTimeMs());
        v.set("launch_parameters", launchParameters(d.spec().launchParameters()));
        v.set("metadata", strings(d.spec().metadata()));
        ArrayNode transitions = v.putArray("state_transitions");
        for (StateTransition t : d.stateTransitions()) {
            ObjectNode n = transitions.addObject();
            n.put("status", t.status().wireName());
            n.put("transition_time_ms", t.transitionTimeMs());
            if (t.failureReason() != null) {
                n.put("failure_reason", t.failureReason());
            }
        }
        v.put("shutdown_reason", d.shutdownReason());
        v.put("failure_reason", d.failureReason());
        v.putArray("capabilities");
        v.putNull("blueprint_id");
        v.putNull("snapshot_id");
        v.put("initiator_type", "api");
        return v;
    }

    static ObjectNode page(DevboxPage page) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        ArrayNode list = v.putArray("devboxes");
        page.devboxes().forEach(d -> list.add(view(d)));
        v.put("has_more", page.hasMore());
        if (page.totalCount() != null) {
            v.put("total_count", page.totalCount());
        }
        return v;
    }

    private static ObjectNode launchParameters(LaunchParameters lp) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        strings(v.putArray("launch_commands"), lp.launchCommands());
        LifecycleConfiguration lc = lp.lifecycle();
        ObjectNode l = v.putObject("lifecycle");
        if (lc.afterIdle() != null) {
            l.putObject("after_idle")
                    .put("idle_time_seconds", lc.afterIdle().idleTimeSeconds())
                    .put("on_idle", lc.afterIdle().onIdle().wireName());
        } else {
            l.putNull("after_idle");
        }
        ObjectNode hooks = l.putObject("lifecycle_hooks");
        strings(hooks.putArray("suspend_commands"), lc.lifecycleHooks().suspendCommands());
        hooks.put("suspend_deadline_ms", lc.lifecycleHooks().suspendDeadlineMs());
        l.putObject("resume_triggers")
                .put("axon_event", lc.resumeTriggers().axonEvent())
                .put("http", lc.resumeTriggers().http());
        if (lp.keepAliveTimeSeconds() != null) {
            v.put("keep_alive_time_seconds", lp.keepAliveTimeSeconds());
        }
        if (lp.architecture() != null) {
            v.put("architecture", lp.architecture());
        }
        return v;
    }

    private static ObjectNode strings(Map<String, String> map) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        map.forEach(v::put);
        return v;
    }

    private static void strings(ArrayNode into, List<String> values) {
        values.forEach(into::add);
    }
}
