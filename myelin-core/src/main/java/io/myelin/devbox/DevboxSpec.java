package io.myelin.devbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A devbox as a client asked for it (Runloop {@code DevboxCreateParams}, the part Myelin honours), after the
 * wire's shape was checked. {@link Devboxes#create} checks the values (limits, names, configured binaries,
 * blueprints, axons) before anything is stored; the stored devbox keeps it unchanged for restarts.
 *
 * @param name                 optional name
 * @param metadata             string pairs (may be empty)
 * @param blueprintName        an operator-defined blueprint ({@code devboxes.blueprints}), or null
 * @param environmentVariables added to the clean environment of every command and agent of the devbox
 * @param launchParameters     launch commands and lifecycle
 * @param mounts               the broker mounts, in order
 */
public record DevboxSpec(String name, Map<String, String> metadata, String blueprintName,
                         Map<String, String> environmentVariables, LaunchParameters launchParameters,
                         List<BrokerMount> mounts) {
    public DevboxSpec {
        metadata = ordered(metadata);
        environmentVariables = ordered(environmentVariables);
        launchParameters = launchParameters == null ? LaunchParameters.DEFAULTS : launchParameters;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** An unmodifiable copy that keeps the client's order (answers list pairs as they were sent). */
    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The axons of the mounts, in mount order. */
    public List<String> mountedAxons() {
        return mounts.stream().map(BrokerMount::axonId).toList();
    }
}
