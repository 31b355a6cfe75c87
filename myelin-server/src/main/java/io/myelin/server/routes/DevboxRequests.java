package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.BrokerProtocol;
import io.myelin.devbox.BrokerMount;
import io.myelin.devbox.DevboxSpec;
import io.myelin.devbox.LaunchParameters;
import io.myelin.devbox.LifecycleConfiguration;
import io.myelin.devbox.LifecycleConfiguration.AfterIdle;
import io.myelin.devbox.LifecycleConfiguration.LifecycleHooks;
import io.myelin.devbox.LifecycleConfiguration.OnIdle;
import io.myelin.devbox.LifecycleConfiguration.ResumeTriggers;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a devbox create request (Runloop {@code DevboxCreateParams}) into a {@link DevboxSpec}, checking its shape:
 * every field of Runloop's schema is either honoured or refused with 422 naming it and saying why (Myelin never
 * drops a field it cannot honour), a field outside the schema is refused with 422 too (a typo must not pass
 * silently), and a wrong type is a 400 naming the field. Null, an empty list or an empty map asks for nothing and
 * is accepted everywhere. The values themselves are checked by the engine ({@code Devboxes.create}).
 */
final class DevboxRequests {
    private DevboxRequests() {}

    /** The fields of {@code DevboxCreateParams} Myelin cannot honour, with the reason a client reads. */
    private static final Map<String, String> REFUSED = Map.of(
            "blueprint_id", "blueprints are defined by this server's operator and named: use blueprint_name",
            "snapshot_id", "Myelin has no disk snapshots",
            "code_mounts", "Myelin does not clone repositories into a workspace; clone in a launch command",
            "file_mounts", "Myelin does not write files into a workspace; write them in a launch command",
            "entrypoint", "Myelin runs no entrypoint: agents run through broker mounts",
            "gateways", "Myelin has no agent gateway",
            "mcp", "Myelin has no MCP hub",
            "secrets", "Myelin has no secret store; pass values in environment_variables",
            "tunnel", "Myelin has no tunnels");

    /** The fields of {@code LaunchParameters} Myelin cannot honour. */
    private static final Map<String, String> REFUSED_LAUNCH = Map.ofEntries(
            Map.entry("available_ports", "Myelin exposes no ports of a devbox"),
            Map.entry("custom_cpu_cores", "Myelin does not size devboxes: they share the server's machine"),
            Map.entry("custom_disk_size", "Myelin does not size devboxes: they share the server's machine"),
            Map.entry("custom_gb_memory", "Myelin does not size devboxes: they share the server's machine"),
            Map.entry("resource_size_request", "Myelin does not size devboxes: they share the server's machine"),
            Map.entry("network_policy_id", "Myelin applies no network policies"),
            Map.entry("required_services", "Myelin starts no containerized services"),
            Map.entry("user_parameters", "Myelin runs every devbox as the server's own user"));

    static DevboxSpec spec(JsonNode body) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            switch (f) {
                case "name", "metadata", "blueprint_name", "environment_variables", "launch_parameters", "mounts" -> { }
                default -> refuseUnlessEmpty(f, e.getValue(), REFUSED.getOrDefault(f, null));
            }
        }
        return new DevboxSpec(Bodies.string(body, "name", "", false), Bodies.stringMap(body, "metadata"),
                Bodies.string(body, "blueprint_name", "", false), Bodies.stringMap(body, "environment_variables"),
                launchParameters(object(body, "launch_parameters", "launch_parameters")), mounts(body.get("mounts")));
    }

    private static LaunchParameters launchParameters(JsonNode lp) {
        if (lp == null) {
            return LaunchParameters.DEFAULTS;
        }
        String at = "launch_parameters.";
        for (Iterator<Map.Entry<String, JsonNode>> it = lp.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            switch (f) {
                case "launch_commands", "lifecycle", "after_idle", "keep_alive_time_seconds", "architecture" -> { }
                case "provisioning_tier" -> {
                    String tier = Bodies.string(lp, f, at, false);
                    if (tier != null && !tier.equals("standard")) {
                        throw unprocessable(at + f, "Myelin provisions every devbox at once ('standard'); got '" + tier + "'");
                    }
                }
                default -> refuseUnlessEmpty(at + f, e.getValue(), REFUSED_LAUNCH.getOrDefault(f, null));
            }
        }
        LifecycleConfiguration lifecycle = lifecycle(object(lp, "lifecycle", at + "lifecycle"));
        JsonNode topIdle = object(lp, "after_idle", at + "after_idle");
        if (topIdle != null) {
            AfterIdle legacy = afterIdle(topIdle, at + "after_idle.");
            if (lifecycle.afterIdle() != null && !lifecycle.afterIdle().equals(legacy)) {
                throw unprocessable(at + "after_idle", "after_idle and lifecycle.after_idle differ; set only"
                        + " lifecycle.after_idle (Runloop requires both to be equal when both are set)");
            }
            lifecycle = new LifecycleConfiguration(legacy, lifecycle.lifecycleHooks(), lifecycle.resumeTriggers());
        }
        return new LaunchParameters(strings(lp, "launch_commands", at), lifecycle,
                integer(lp, "keep_alive_time_seconds", at), Bodies.string(lp, "architecture", at, false));
    }

    private static LifecycleConfiguration lifecycle(JsonNode lc) {
        if (lc == null) {
            return LifecycleConfiguration.DEFAULTS;
        }
        String at = "launch_parameters.lifecycle.";
        onlyFields(lc, at, "after_idle", "lifecycle_hooks", "resume_triggers");
        JsonNode idle = object(lc, "after_idle", at + "after_idle");
        JsonNode hooks = object(lc, "lifecycle_hooks", at + "lifecycle_hooks");
        JsonNode triggers = object(lc, "resume_triggers", at + "resume_triggers");
        LifecycleHooks h = LifecycleHooks.DEFAULTS;
        if (hooks != null) {
            String hat = at + "lifecycle_hooks.";
            onlyFields(hooks, hat, "suspend_commands", "suspend_deadline_ms");
            Long deadline = integer(hooks, "suspend_deadline_ms", hat);
            h = new LifecycleHooks(strings(hooks, "suspend_commands", hat),
                    deadline == null ? LifecycleHooks.DEFAULT_DEADLINE_MS : deadline);
        }
        ResumeTriggers r = ResumeTriggers.DEFAULTS;
        if (triggers != null) {
            String tat = at + "resume_triggers.";
            onlyFields(triggers, tat, "axon_event", "http");
            Boolean axonEvent = bool(triggers, "axon_event", tat);
            Boolean http = bool(triggers, "http", tat);
            r = new ResumeTriggers(axonEvent == null || axonEvent, http != null && http);
        }
        return new LifecycleConfiguration(idle == null ? null : afterIdle(idle, at + "after_idle."), h, r);
    }

    private static AfterIdle afterIdle(JsonNode idle, String at) {
        onlyFields(idle, at, "idle_time_seconds", "on_idle");
        Long seconds = integer(idle, "idle_time_seconds", at);
        if (seconds == null) {
            throw MyelinException.invalid(at + "idle_time_seconds", "idle_time_seconds is required");
        }
        String action = Bodies.string(idle, "on_idle", at, true);
        OnIdle onIdle = OnIdle.fromWire(action);
        if (onIdle == null) {
            throw MyelinException.invalid(at + "on_idle", "on_idle must be shutdown or suspend, got '" + action + "'");
        }
        return new AfterIdle(seconds, onIdle);
    }

    private static List<BrokerMount> mounts(JsonNode mounts) {
        if (mounts == null || mounts.isNull()) {
            return List.of();
        }
        if (!mounts.isArray()) {
            throw MyelinException.invalid("mounts", "mounts must be an array, got " + Bodies.describe(mounts));
        }
        List<BrokerMount> out = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            String at = "mounts[" + i + "].";
            JsonNode m = mounts.get(i);
            if (!m.isObject()) {
                throw MyelinException.invalid("mounts[" + i + "]", "each mount must be an object, got " + Bodies.describe(m));
            }
            String type = Bodies.string(m, "type", at, true);
            if (!type.equals("broker_mount")) {
                throw unprocessable(at + "type", "Myelin mounts agents through brokers only (type broker_mount); '"
                        + type + "' mounts are not supported");
            }
            onlyFields(m, at, "type", "axon_id", "agent_binary", "launch_args", "protocol", "working_directory");
            String protocol = Bodies.string(m, "protocol", at, false);
            BrokerProtocol p;
            try {
                p = protocol == null ? BrokerProtocol.ACP : BrokerProtocol.fromWire(protocol);
            } catch (IllegalArgumentException e) {
                throw MyelinException.invalid(at + "protocol", e.getMessage());
            }
            out.add(new BrokerMount(Bodies.string(m, "axon_id", at, true), p, Bodies.string(m, "agent_binary", at, false),
                    strings(m, "launch_args", at), Bodies.string(m, "working_directory", at, false)));
        }
        return out;
    }

    /** 422 unless {@code value} asks for nothing (null, false, empty); {@code why} null means outside the schema. */
    private static void refuseUnlessEmpty(String field, JsonNode value, String why) {
        if (why == null) {
            throw unprocessable(field, "unknown field: not part of Runloop's devbox API");
        }
        boolean empty = value.isNull() || (value.isContainerNode() && value.isEmpty())
                || (value.isBoolean() && !value.booleanValue());
        if (!empty) {
            throw unprocessable(field, why);
        }
    }

    private static void onlyFields(JsonNode obj, String at, String... known) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(known).contains(f)) {
                throw unprocessable(at + f, "unknown field: not part of Runloop's devbox API");
            }
        }
    }

    /** An object field; null when absent or JSON null. */
    private static JsonNode object(JsonNode obj, String name, String field) {
        JsonNode v = obj.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw MyelinException.invalid(field, field + " must be an object, got " + Bodies.describe(v));
        }
        return v;
    }

    /** A list of strings; empty when absent or JSON null. */
    private static List<String> strings(JsonNode obj, String name, String at) {
        JsonNode v = obj.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw MyelinException.invalid(at + name, name + " must be an array of strings, got " + Bodies.describe(v));
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw MyelinException.invalid(at + name + "[" + i + "]", name + " must hold strings, got "
                        + Bodies.describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    /** A whole number; null when absent or JSON null. */
    private static Long integer(JsonNode obj, String name, String at) {
        return Bodies.wholeNumber(obj, name, at);
    }

    /** A boolean; null when absent or JSON null. */
    private static Boolean bool(JsonNode obj, String name, String at) {
        JsonNode v = obj.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw MyelinException.invalid(at + name, name + " must be true or false, got " + Bodies.describe(v));
        }
        return v.booleanValue();
    }

    private static MyelinException unprocessable(String field, String why) {
        return new MyelinException(ErrorKind.UNPROCESSABLE, field, field + ": " + why);
    }
}
