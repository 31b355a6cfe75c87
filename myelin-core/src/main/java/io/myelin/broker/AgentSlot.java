package io.myelin.broker;

import io.myelin.broker.BrokerLifecycles.AgentState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-process slot of one broker: its {@link AgentRunner} (launch, freeze, thaw, stop, the restart backoff)
 * and what the broker decides around it: when to launch (at start unless started at rest, at a resume, after an exit
 * once the backoff passed and work waits), when to ask the supervisor for a wake, how an agent lost without being
 * asked is reported, and when a conversation that keeps killing its agent is given up.
 *
 * <p>Confined to the broker's thread.
 */
final class AgentSlot {
    private static final Logger log = LoggerFactory.getLogger(AgentSlot.class);

    /** What the slot needs of its broker. Called on the broker's thread. */
    interface Host {
        /** A new agent process runs: what it causes is keyed under a fresh run. */
        void newProcess();

        /** The agent could not be started: a {@code broker.error}. */
        void brokerError(String message);

        /** An {@code agent.error} of {@code type}. */
        void agentError(String type, String message);

        /** The running turn, if any, fails. */
        void turnFailed(String error, String stopReason);

        /** Turns or relays wait for the agent. */
        boolean hasWork();

        /** The conversation was given up: the stored session is cleared. */
        void conversationForgotten();
    }

    private final BrokerSpec spec;
    private final Relay relay;
    private final BrokerListener listener;
    private final BrokerOptions options;
    private final String name;
    private final Host host;
    /** False for a broker started with its agent stopped: the first resume launches it. */
    private final boolean launchAtStart;
    private final AgentRunner agent;
    private final CompletableFuture<Void> firstLaunch = new CompletableFuture<>();
    private boolean wakeAsked;
    /**
     * Whether the current process wrote a line yet, whether it was given a conversation to continue, and how many in
     * a row died while it was being brought back.
     */
    private boolean heard;
    private boolean resuming;
    private int silentDeaths;
    /**
     * When a frozen agent was last thawed (ms, the options' clock): a frozen agent cannot answer, so its handshake
     * and cancel deadlines start again from there.
     */
    private long thawedAt = Long.MIN_VALUE;

    AgentSlot(BrokerSpec spec, Relay relay, AgentLauncher launcher, BrokerInbox inbox, BrokerListener listener,
              BrokerOptions options, boolean launchAtStart, Host host) {
        this.spec = spec;
        this.relay = relay;
        this.listener = listener;
        this.options = options;
        this.name = spec.axonId();
        this.host = host;
        this.launchAtStart = launchAtStart;
        this.agent = new AgentRunner(launcher, inbox, options, name, new AgentRunner.Events() {
            @Override
            public void launched() {
                host.newProcess();
                heard = false;
                resuming = relay.hasConversation();
                relay.started();
            }

            @Override
            public void launchFailed(AgentStartException e) {
                AgentSlot.this.launchFailed(e);
            }

            @Override
            public void died(int status, boolean restoring) {
                AgentSlot.this.died(status, restoring);
            }
        });
    }

    /** The broker began: the agent is launched, or (started at rest) waits for the first resume. */
    void begin() {
        if (launchAtStart) {
            launch();
        } else {
            firstLaunch.complete(null); // at rest: work that arrives asks for a wake
        }
    }

    AgentState state() {
        return agent.state();
    }

    int generation() {
        return agent.generation();
    }

    /** See {@link AgentRunner#outputEnded}. */
    void outputEnded(int generation) {
        agent.outputEnded(generation);
    }

    /** The current process wrote a line. */
    void heard() {
        heard = true;
    }

    /** A process was launched and has not been stopped or gone since. */
    boolean running() {
        return agent.running();
    }

    /** Completes once the first launch is done (or not due: started at rest); exceptionally when it failed. */
    CompletableFuture<Void> firstLaunch() {
        return firstLaunch;
    }

    /** Work waits for the agent: wake it (once per sleep) when it is suspended or shut down. */
    void needAgent() {
        switch (agent.state()) {
            case SUSPENDED, STOPPED -> {
                if (spec.wakeOnAxonEvent() && !wakeAsked) {
                    wakeAsked = true;
                    listener.wakeRequested();
                }
            }
            default -> {
            }
        }
    }

    /** The relay restored the conversation: work flows. */
    void ready() {
        agent.restored();
        wakeAsked = false;
    }

    /** The agent finished a turn: its next exit restarts it without waiting. */
    void healthy() {
        agent.healthy();
    }

    /** Sends a line to the agent; one that left its input unread for {@code stdinWait} is killed and reported. */
    void send(String line) {
        if (!agent.running()) {
            log.debug("broker on {}: no agent to send to", name);
            return;
        }
        try {
            if (!agent.send(line)) {
                String why = "the agent read none of its input for " + options.stdinWait().toSeconds() + " s";
                agent.abandon(why);
                lost("unresponsive", why, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerPublisher.Closing();
        }
    }

    /** Restarts an agent that exited once its backoff has passed, if work waits for it. */
    void restartIfDue() {
        if (agent.state() == AgentState.EXITED && host.hasWork() && options.clock().millis() >= agent.restartAt()) {
            launch();
        }
    }

    /**
     * Kills an agent that left one of the relay's start-up requests unanswered for {@code handshakeTimeout}
     * since it was sent: {@code agent.error {type: "start_timeout"}}, the waiting turn fails, and the next work
     * starts a new agent. A frozen agent is not checked, and a thawed one gets the whole timeout again.
     */
    void handshakeIfOverdue() {
        Relay.Awaited awaited = relay.awaited();
        if (awaited == null || !agent.running() || agent.state() == AgentState.SUSPENDED
                || options.clock().millis() < handshakeDue(awaited)) {
            return;
        }
        String why = "agent did not answer " + awaited.method() + " within " + text(options.handshakeTimeout());
        agent.abandon(why);
        lost("start_timeout", why, -1);
    }

    /**
     * Ends a cancelled turn the agent has not ended within {@code cancelTimeout} of the cancel (it ignored
     * {@code session/cancel} or the interrupt): the agent is stopped first (SIGTERM, SIGKILL after {@code stopGrace};
     * whatever it still writes is dropped, so nothing of this turn lands in the next), then
     * {@code agent.error {type: "cancel_timeout"}} and {@code turn.completed {stop_reason: "cancelled"}} are
     * published. The next work launches a new agent, given its conversation back as after any exit. A frozen agent
     * is not checked, and a thawed one gets the whole timeout again.
     */
    void cancelIfOverdue(Turn turn) {
        if (turn == null || !turn.cancelled() || !agent.running() || agent.state() == AgentState.SUSPENDED
                || options.clock().millis() < cancelDue(turn)) {
            return;
        }
        String why = "the agent did not end " + turn.id() + " within " + text(options.cancelTimeout())
                + " of its cancel; the agent was stopped";
        agent.abandon(why, options.stopGrace());
        lost("cancel_timeout", why, -1); // the turn is cancelling: it completes cancelled
    }

    private long handshakeDue(Relay.Awaited awaited) {
        return Math.max(awaited.sinceMs(), thawedAt) + options.handshakeTimeout().toMillis();
    }

    private long cancelDue(Turn turn) {
        return Math.max(turn.cancelledAt(), thawedAt) + options.cancelTimeout().toMillis();
    }

    private static String text(Duration t) {
        return t.toMillis() % 1000 == 0 ? t.toSeconds() + "s" : t.toMillis() + "ms";
    }

    /**
     * How long the broker may wait before {@link #restartIfDue}, {@link #handshakeIfOverdue} or
     * {@link #cancelIfOverdue} of {@code turn} (the running one, or null) has something to do (ms, at most
     * {@code max}).
     */
    long untilDue(long max, Turn turn) {
        long due = max;
        long now = options.clock().millis();
        if (agent.state() == AgentState.EXITED && host.hasWork()) {
            due = Math.min(due, agent.restartAt() - now);
        }
        boolean checked = agent.running() && agent.state() != AgentState.SUSPENDED;
        Relay.Awaited awaited = relay.awaited();
        if (awaited != null && checked) {
            due = Math.min(due, handshakeDue(awaited) - now);
        }
        if (turn != null && turn.cancelled() && checked) {
            due = Math.min(due, cancelDue(turn) - now);
        }
        return due;
    }

    /** Freezes a ready agent; work queued before then asks for a wake as new work would. */
    void suspend() {
        if (agent.suspend()) {
            log.info("broker on {}: agent suspended", name);
            wakeIfWorkWaits();
        }
    }

    /** Stops the agent on the supervisor's request (a running turn fails); queued work asks for a wake. */
    void shutdown(Duration grace) {
        stop(grace, "the agent was shut down");
        wakeIfWorkWaits();
    }

    /** Thaws a frozen agent, or launches a stopped or exited one. */
    void resume() {
        wakeAsked = false;
        if (agent.resume()) {
            thawedAt = options.clock().millis();
            log.info("broker on {}: agent resumed", name);
        } else if (agent.state() == AgentState.STOPPED || agent.state() == AgentState.EXITED) {
            launch();
        }
    }

    /** Stops the agent on the supervisor's or the closer's request; a running turn fails with {@code why}. */
    void stop(Duration grace, String why) {
        if (agent.running()) {
            relay.agentGone(why);
        }
        host.turnFailed(why, "error");
        agent.stop(grace);
    }

    /** For good, stopping the process first; the first launch no longer waits. */
    void close(Duration grace) {
        try {
            agent.close(grace);
        } finally {
            firstLaunch.complete(null);
        }
    }

    private void wakeIfWorkWaits() {
        if (host.hasWork()) {
            needAgent();
        }
    }

    private void launch() {
        agent.launch(new AgentCommand(relay.argv(spec.command()), spec.workingDirectory(), spec.environment()));
        if (agent.running()) {
            firstLaunch.complete(null);
        }
    }

    private void launchFailed(AgentStartException e) {
        log.warn("broker on {}: {}", name, e.getMessage());
        host.brokerError(e.getMessage());
        listener.agentExited(-1, e.getMessage());
        firstLaunch.completeExceptionally(e);
    }

    private void died(int status, boolean restoring) {
        lost("agent_exited", "the agent exited with status " + status, status);
        silentDeaths = restoring || (resuming && !heard) ? silentDeaths + 1 : 0;
        if (silentDeaths >= 2 && relay.hasConversation()) {
            silentDeaths = 0;
            relay.forget();
            host.agentError("restore_failed", "the agent died twice in a row while its conversation was brought"
                    + " back; it starts a new conversation");
            host.conversationForgotten();
        }
    }

    /** The agent is gone without being asked: tell clients, fail what waited on it, tell the supervisor. */
    private void lost(String type, String why, int status) {
        log.warn("broker on {}: {}", name, why);
        host.agentError(type, why);
        relay.agentGone(why);
        host.turnFailed(why, "error");
        listener.agentExited(status, why);
    }
}
