package io.myelin.devbox;

import io.myelin.error.MyelinException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of one devbox that runs: its workspace, its commands ({@link CommandRunner}) and its brokers
 * ({@link DevboxBrokers}), brought up, put to rest and stopped as the {@link DevboxSupervisor}'s worker asks. It
 * decides nothing about the devbox's status: it reports what happened, and the supervisor moves.
 *
 * <p>Threading: the worker calls everything but {@link #stop} and {@link #idleSinceMs}, which any thread may call
 * (a shutdown, the idle timer).
 */
final class DevboxProcesses {
    private static final Logger log = LoggerFactory.getLogger(DevboxProcesses.class);

    /**
     * How bringing the processes up ended.
     *
     * @param failure what failed (a command and its last output, an agent that did not start), or null
     * @param stopped the devbox began stopping meanwhile: nothing to report
     */
    record Outcome(String failure, boolean stopped) {
        static final Outcome UP = new Outcome(null, false);
        static final Outcome STOPPED = new Outcome(null, true);

        static Outcome failed(String why) {
            return new Outcome(why, false);
        }

        boolean up() {
            return failure == null && !stopped;
        }
    }

    private final String id;
    private final DevboxSpec spec;
    private final DevboxContext ctx;
    private final Blueprint blueprint;
    private final CommandRunner commands;
    private final DevboxBrokers brokers;
    private volatile Workspace workspace;

    DevboxProcesses(String id, DevboxSpec spec, DevboxContext ctx, DevboxSupervisor owner) {
        this.id = id;
        this.spec = spec;
        this.ctx = ctx;
        this.blueprint = spec.blueprintName() == null ? null : ctx.options().blueprints().get(spec.blueprintName());
        this.commands = new CommandRunner(ctx.host(), id);
        this.brokers = new DevboxBrokers(id, spec, ctx, owner);
    }

    /**
     * The workspace, created when missing (then {@link Workspace#created()}: setup commands are due).
     *
     * @throws MyelinException when it cannot be created
     */
    Workspace workspace() {
        Workspace w = workspace;
        if (w == null) {
            w = ctx.host().prepare(id);
            workspace = w;
        }
        return w;
    }

    /**
     * Brings everything up: workspace, setup commands when the workspace is new, launch commands (each within
     * {@code devboxes.command-timeout}), then every broker started, or resumed where one runs.
     */
    Outcome bringUp() {
        Workspace w;
        try {
            w = workspace();
        } catch (MyelinException e) {
            return Outcome.failed("cannot create the workspace: " + e.getMessage());
        }
        Map<String, String> env = environment(w);
        if (w.created() && blueprint != null) {
            CommandRunner.Outcome o = commands.runAll("setup command", blueprint.setupCommands(), w, env,
                    ctx.options().commandTimeout());
            if (o != null) {
                return o.exitStatus() == null && !o.timedOut() ? Outcome.STOPPED : Outcome.failed(o.describe());
            }
        }
        if (w.created()) {
            workspace = new Workspace(id, w.directory(), false); // set up: later starts skip the setup
        }
        CommandRunner.Outcome o = commands.runAll("launch command", spec.launchParameters().launchCommands(), w, env,
                ctx.options().commandTimeout());
        if (o != null) {
            return o.exitStatus() == null && !o.timedOut() ? Outcome.STOPPED : Outcome.failed(o.describe());
        }
        try {
            return brokers.bringUp(w, env) ? Outcome.UP : Outcome.STOPPED;
        } catch (MyelinException e) {
            return Outcome.failed(e.getMessage());
        }
    }

    /** Thaws frozen agents. */
    Outcome thaw() {
        try {
            brokers.resumeAll();
            return Outcome.UP;
        } catch (MyelinException e) {
            return Outcome.failed(e.getMessage());
        }
    }

    /**
     * Puts the devbox to rest: suspend commands within {@code suspend_deadline_ms} (failures logged), then every
     * agent frozen, or stopped when {@code stopAgents}.
     */
    void putToRest(boolean stopAgents) {
        LifecycleConfiguration.LifecycleHooks hooks = spec.launchParameters().lifecycle().lifecycleHooks();
        Duration budget = Duration.ofMillis(hooks.suspendDeadlineMs());
        long start = System.nanoTime();
        Workspace w = workspace;
        if (!hooks.suspendCommands().isEmpty() && w != null) {
            commands.runWithin("suspend command", hooks.suspendCommands(), w, environment(w), budget);
        }
        brokers.putToRest(stopAgents, budget.minusNanos(System.nanoTime() - start));
    }

    /**
     * After a restart, for a suspended devbox: its brokers started with their agents stopped (no agent process), so
     * that events on its axons can wake it. A workspace that had to be created anew is left for the resume to set up.
     */
    void attachStopped() {
        Workspace w;
        try {
            w = workspace();
        } catch (MyelinException e) {
            log.warn("devbox {}: its workspace cannot be prepared; a resume tries again: {}", id, e.getMessage());
            return;
        }
        if (!w.created()) {
            brokers.attachStopped(w, environment(w));
        }
    }

    /** Kills the command running and closes every broker for good; nothing starts afterwards. Any thread. */
    void stop() {
        commands.cancel();
        brokers.closeAll();
    }

    /** Closes the brokers after a failure (no command runs then). */
    void closeBrokers() {
        brokers.closeAll();
    }

    /** See {@link DevboxBrokers#idleSinceMs}. Any thread. */
    long idleSinceMs() {
        return brokers.idleSinceMs();
    }

    private Map<String, String> environment(Workspace w) {
        return DevboxEnvironment.of(w, spec.environmentVariables());
    }
}
