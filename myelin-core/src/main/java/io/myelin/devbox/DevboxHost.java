package io.myelin.devbox;

import java.util.Map;

/**
 * Where a devbox's workspace lives and its commands run. The one implementation today runs them as processes of the
 * server's own user on this machine ({@link LocalDevboxHost}); the interface is the seam for hosts that run each
 * devbox elsewhere (a container, a Kubernetes pod). Agents are started by the {@link io.myelin.broker.BrokerFactory},
 * in the workspace this returns.
 *
 * <p>Nothing here is a sandbox: a local devbox's commands and agents can do whatever the server's user can.
 *
 * <p>Threading: thread-safe.
 */
public interface DevboxHost {

    /**
     * The workspace of {@code devboxId}, created (private to the server's user) when it does not exist.
     *
     * @throws io.myelin.error.MyelinException 500 when it cannot be created
     */
    Workspace prepare(String devboxId);

    /**
     * Starts one shell command ({@code /bin/sh -c}) in the workspace with exactly {@code environment}, its input
     * empty and its output (stdout and stderr together) handed to {@code output} line by line as it comes.
     *
     * @throws io.myelin.error.MyelinException 500 when the process cannot be started
     */
    RunningCommand start(Workspace workspace, String command, Map<String, String> environment, CommandOutput output);

    /**
     * Deletes the workspace of {@code devboxId} and everything in it; missing already is fine. Failures are logged,
     * not thrown.
     */
    void remove(String devboxId);

    /**
     * Deletes every workspace under this host's root whose devbox is not in {@code keep}, as left by devboxes shut
     * down while the server was not running. Returns how many were removed.
     */
    int removeAllExcept(java.util.Set<String> keep);

    /** Where a command's output goes: one call per line, without its line break, on the command's reader thread. */
    @FunctionalInterface
    interface CommandOutput {
        void line(String line);
    }
}
