package io.myelin.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A devbox to create ({@code POST /v1/devboxes}, the fields Myelin honours). Build one with {@link #builder()}:
 *
 * <pre>{@code
 * Devbox d = client.devboxes().create(NewDevbox.builder()
 *         .name("triage-agent")
 *         .mount(BrokerMount.acp(axonId, "opencode", "acp"))
 *         .afterIdle(Duration.ofMinutes(10), "suspend")
 *         .build());
 * }</pre>
 *
 * @param name                 optional name
 * @param metadata             string pairs, or null
 * @param blueprintName        an operator-defined blueprint, or null
 * @param environmentVariables added to the clean environment of its commands and agents, or null
 * @param launchParameters     launch commands and lifecycle, or null
 * @param mounts               broker mounts, or null
 */
public record NewDevbox(String name, Map<String, String> metadata, String blueprintName,
                        Map<String, String> environmentVariables, LaunchParameters launchParameters,
                        List<BrokerMount> mounts) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewDevbox}; not thread-safe. */
    public static final class Builder {
        private String name;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String blueprintName;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> launchCommands = new ArrayList<>();
        private final List<String> suspendCommands = new ArrayList<>();
        private Long suspendDeadlineMs;
        private LaunchParameters.AfterIdle afterIdle;
        private Boolean wakeOnAxonEvent;
        private Long keepAliveTimeSeconds;
        private final List<BrokerMount> mounts = new ArrayList<>();

        Builder() {
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Builder blueprint(String value) {
            blueprintName = value;
            return this;
        }

        public Builder environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /** A shell command run at every start, after the ones added before it. */
        public Builder launchCommand(String command) {
            launchCommands.add(command);
            return this;
        }

        /** A shell command run before suspending; all of them share {@code suspendDeadline} (default 30 s). */
        public Builder suspendCommand(String command) {
            suspendCommands.add(command);
            return this;
        }

        public Builder suspendDeadline(Duration deadline) {
            suspendDeadlineMs = deadline.toMillis();
            return this;
        }

        /** After {@code idle} without a turn, {@code onIdle}: {@code suspend} or {@code shutdown}. */
        public Builder afterIdle(Duration idle, String onIdle) {
            afterIdle = new LaunchParameters.AfterIdle(idle.toSeconds(), onIdle);
            return this;
        }

        /** Whether a turn-starting event on a mounted axon wakes the devbox (default true). */
        public Builder wakeOnAxonEvent(boolean value) {
            wakeOnAxonEvent = value;
            return this;
        }

        public Builder keepAliveTime(Duration time) {
            keepAliveTimeSeconds = time.toSeconds();
            return this;
        }

        public Builder mount(BrokerMount mount) {
            mounts.add(mount);
            return this;
        }

        public NewDevbox build() {
            LaunchParameters.Lifecycle lifecycle = null;
            if (afterIdle != null || !suspendCommands.isEmpty() || suspendDeadlineMs != null || wakeOnAxonEvent != null) {
                lifecycle = new LaunchParameters.Lifecycle(afterIdle,
                        suspendCommands.isEmpty() && suspendDeadlineMs == null ? null
                                : new LaunchParameters.LifecycleHooks(suspendCommands, suspendDeadlineMs),
                        wakeOnAxonEvent == null ? null : new LaunchParameters.ResumeTriggers(wakeOnAxonEvent, null));
            }
            LaunchParameters lp = launchCommands.isEmpty() && lifecycle == null && keepAliveTimeSeconds == null ? null
                    : new LaunchParameters(launchCommands.isEmpty() ? null : launchCommands, lifecycle, keepAliveTimeSeconds);
            return new NewDevbox(name, metadata.isEmpty() ? null : Map.copyOf(metadata), blueprintName,
                    environment.isEmpty() ? null : Map.copyOf(environment), lp, mounts.isEmpty() ? null : List.copyOf(mounts));
        }
    }
}
