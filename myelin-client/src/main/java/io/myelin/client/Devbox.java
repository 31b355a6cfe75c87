package io.myelin.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A devbox as the server describes it (Runloop {@code DevboxView}): a workspace on the server with its commands and
 * the agents of its broker mounts.
 *
 * @param id               server-assigned identifier ({@code dbx_...})
 * @param name             optional name given at creation, or {@code null}
 * @param status           where it stands
 * @param createTimeMs     creation time, milliseconds since the epoch
 * @param endTimeMs        when it shut down, or {@code null}
 * @param launchParameters its launch parameters, defaults filled in
 * @param metadata         user-defined string pairs (never {@code null})
 * @param stateTransitions its recent history, oldest first (never {@code null})
 * @param shutdownReason   why it shut down ({@code api_shutdown}, {@code keep_alive_timeout}), or {@code null}
 * @param failureReason    why it failed ({@code execution_failed}), or {@code null}
 */
public record Devbox(String id, String name, DevboxStatus status, long createTimeMs, Long endTimeMs,
                     LaunchParameters launchParameters, Map<String, String> metadata,
                     List<DevboxStateTransition> stateTransitions, String shutdownReason, String failureReason) {
    public Devbox {
        Objects.requireNonNull(id, "id");
        status = status == null ? DevboxStatus.UNKNOWN : status;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        stateTransitions = stateTransitions == null ? List.of() : List.copyOf(stateTransitions);
    }
}
