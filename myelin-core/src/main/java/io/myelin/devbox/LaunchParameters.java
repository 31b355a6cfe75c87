package io.myelin.devbox;

import java.util.List;

/**
 * The part of Runloop's {@code LaunchParameters} that Myelin honours; the devbox API refuses every other field with
 * 422 instead of dropping it.
 *
 * @param launchCommands       shell commands run in the workspace, one after another, at every start of the
 *                             devbox's processes (creation, server restart, resume of stopped agents), before the
 *                             agents start; a failing one fails the devbox
 * @param lifecycle            idle and resume behaviour, defaults filled in
 * @param keepAliveTimeSeconds shut the devbox down this long after it started running or last got a keep-alive,
 *                             or null for never; ignored when {@code lifecycle.after_idle} is set (as in Runloop)
 * @param architecture         the architecture the client asked for, when it asked (it must be this machine's)
 */
public record LaunchParameters(List<String> launchCommands, LifecycleConfiguration lifecycle,
                               Long keepAliveTimeSeconds, String architecture) {
    public static final LaunchParameters DEFAULTS = new LaunchParameters(List.of(), LifecycleConfiguration.DEFAULTS,
            null, null);

    public LaunchParameters {
        launchCommands = launchCommands == null ? List.of() : List.copyOf(launchCommands);
        lifecycle = lifecycle == null ? LifecycleConfiguration.DEFAULTS : lifecycle;
    }
}
