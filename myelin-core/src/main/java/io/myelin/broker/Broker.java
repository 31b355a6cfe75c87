package io.myelin.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.broker.BrokerLifecycles.AgentState;
import io.myelin.broker.BrokerLifecycles.TurnEvent;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker: relays one axon to one agent process, one turn at a time, durably. Used inside the server (devbox
 * mounts, through {@link LocalBrokerFactory}) and beside the agent ({@code myelin broker}, over HTTP): the two differ
 * only in their {@link AxonLink}.
 *
 * <p><b>Threads.</b> Everything happens on one thread, {@code broker-<axon>} (virtual): it takes axon events, agent
 * output, agent logs and the supervisor's commands from a bounded {@link BrokerInbox} and is the only one to touch
 * the relay, the turns and the durable state. The axon is read by {@code broker-<axon>-reader} (virtual); the agent's
 * pipes by three platform threads ({@link AgentPipes}). {@link MountedBroker} calls post a command and wait for it.
 *
 * <p><b>Turns.</b> Turn-starting events (see {@link Relay#classify}) queue in sequence order, at most
 * {@code maxQueuedTurns}; one runs at a time, from {@code turn.started {turn_id}} to {@code turn.completed
 * {turn_id, stop_reason}} or {@code turn.failed {turn_id, error, stop_reason}}. Everything else a client sends is
 * relayed at once, even during a turn. {@code AGENT_EVENT} and {@code SYSTEM_EVENT} are never relayed (no loops).
 *
 * <p><b>Durability.</b> The state ({@link BrokerState}) is saved before a turn starts and after it ends, and after a
 * client's request has its answer; the cursor moves past other events lazily. A broker that starts over a saved
 * running turn ends it with {@code turn.failed {error: "broker restarted"}} and goes on with the queue: it reads the
 * axon again after the last started turn, re-queues the turn-starting events it finds, and skips the rest of what it
 * had handled. Its own events carry idempotency keys derived from the events that caused them, so a retry, a
 * restart or a second broker never puts one on the axon twice; a second broker's state save is refused (409) and it
 * stops.
 */
final class Broker implements RelayHost {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerSpec spec;
    private final AxonLink link;
    private final AgentLauncher launcher;
    private final BrokerListener listener;
    private final BrokerOptions options;
    private final BrokerInbox inbox;
    private final BrokerPublisher publisher;
    private final Relay relay;
    private final String name;
    private final AgentRunner agent;
    private final CompletableFuture<Void> firstLaunch = new CompletableFuture<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final LogLimiter logs;
    private volatile boolean idle;
    private volatile boolean closing;
    private final AxonReader reader;
    private final BrokerProgress progress;

    // Confined to the broker's thread from here on.
    private final TurnQueue turns;
    private final ArrayDeque<Event> deferred = new ArrayDeque<>();
    private Turn turn;
    private boolean wakeAsked;
    /**
     * Whether the current agent process wrote a line yet, whether it was given a conversation to continue, and how
     * many in a row died while it was being brought back.
     */
    private boolean heard;
    private boolean resuming;
    private int silentDeaths;
    private String run = newRun();
    private int runOutputs;

    Broker(BrokerSpec spec, AxonLink link, AgentLauncher launcher, BrokerListener listener, BrokerOptions options) {
        this.spec = spec;
        this.link = link;
        this.launcher = launcher;
        this.listener = listener;
        this.options = options;
        this.inbox = new BrokerInbox(options.inboxEvents(), options.inboxOutput(), 1000);
        this.publisher = new BrokerPublisher(link, spec.devboxId(), why -> agentError("unpublishable", why));
        this.relay = spec.protocol() == BrokerProtocol.ACP ? new AcpRelay(this) : new ClaudeRelay(this);
        this.name = spec.axonId();
        this.logs = new LogLimiter(options.logLinesPerSecond(), options.clock());
        this.reader = new AxonReader(link, inbox, publisher);
        this.progress = new BrokerProgress(link, publisher, options.clock());
        this.turns = new TurnQueue(options.maxQueuedTurns(), options.maxQueuedTurnBytes());
        this.agent = new AgentRunner(launcher, inbox, options, name, new AgentRunner.Events() {
            @Override
            public void launched() {
                run = newRun();
                heard = false;
                resuming = relay.hasConversation();
                relay.started();
            }

            @Override
            public void launchFailed(AgentStartException e) {
                agentLaunchFailed(e);
            }

            @Override
            public void died(int status, boolean restoring) {
                agentDied(status, restoring);
            }
        });
    }

    // ---- the broker's thread ----

    /** The broker's thread: runs until closed, the axon is deleted, or another broker takes over. */
    void run() {
        try {
            begin();
            while (!closing) {
                BrokerInbox.Item item = inbox.take(TimeUnit.MILLISECONDS.toNanos(timerWait()), !turns.full());
                try {
                    if (item != null) {
                        handle(item);
                    }
                    if (!inbox.outputWaiting()) {
                        publisher.flush();
                    }
                    timers();
                    schedule();
                    if (progress.due()) {
                        save(turn);
                    }
                    updateIdle();
                } catch (BrokerProgress.Superseded | BrokerPublisher.Closing e) {
                    throw e;
                } catch (MyelinException e) {
                    if (e.kind() == ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    log.error("broker on {}: {} failed: {}", name, describe(item), e.getMessage(), e);
                } catch (RuntimeException e) {
                    log.error("broker on {}: {} failed", name, describe(item), e);
                }
            }
        } catch (BrokerProgress.Superseded e) {
            log.warn("broker on {} stops: {}", name, e.getMessage());
            listener.agentExited(-1, e.getMessage());
        } catch (BrokerPublisher.Closing e) {
            log.debug("broker on {} closing", name);
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                log.info("broker on {} stops: the axon is gone", name);
                if (firstLaunch.isDone() && !firstLaunch.isCompletedExceptionally()) {
                    listener.agentExited(-1, "the axon " + name + " was deleted");
                }
            } else {
                log.error("broker on {} stopped: {}", name, e.getMessage(), e);
            }
            firstLaunch.completeExceptionally(e);
        } catch (InterruptedException e) {
            log.debug("broker on {} interrupted", name);
        } catch (RuntimeException e) {
            log.error("broker on {} stopped", name, e);
            firstLaunch.completeExceptionally(e);
        } finally {
            teardown();
        }
    }

    private static String describe(BrokerInbox.Item item) {
        if (item instanceof BrokerInbox.AxonEvent e) {
            return e.event().eventType() + " #" + e.event().sequence();
        }
        return item == null ? "housekeeping" : item.getClass().getSimpleName();
    }

    private void begin() {
        BrokerState saved = progress.load();
        relay.restore(saved);
        if (saved.turnRunning()) {
            String id = saved.turnId();
            long trigger = saved.turnTrigger();
            log.info("broker on {}: {} was running when the last broker stopped; it fails", name, id);
            publisher.system("turn.started", BrokerJson.object().put("turn_id", id), key(trigger, "started"));
            publisher.system("turn.failed", BrokerJson.object().put("turn_id", id).put("error", "broker restarted")
                    .put("stop_reason", "error"), key(trigger, "end"));
            save(null);
        }
        reader.start(progress.turnCursor());
        launch();
    }

    private void handle(BrokerInbox.Item item) {
        switch (item) {
            case BrokerInbox.Control c -> c.action().run();
            case BrokerInbox.AxonEvent e -> onEvent(e.event());
            case BrokerInbox.AgentOut o -> {
                if (o.generation() != agent.generation()) {
                    return;
                }
                if (o.ended()) {
                    agent.outputEnded(o.generation());
                } else if (o.line() == null) {
                    agentError("line_too_long", "the agent wrote a line of " + o.overlongBytes()
                            + " bytes, more than the " + options.maxLineBytes() + " an event can carry; it was skipped");
                } else {
                    heard = true;
                    relay.agentLine(o.line());
                }
            }
            case BrokerInbox.AgentLog l -> agentLog(l.line());
        }
    }

    private void onEvent(Event e) {
        long seq = e.sequence();
        if (!progress.read(seq)) {
            return;
        }
        if (e.origin() == Origin.AGENT_EVENT || e.origin() == Origin.SYSTEM_EVENT) {
            return;
        }
        Relay.Kind kind = relay.classify(e);
        if (kind == Relay.Kind.TURN) {
            if (progress.turnPending(seq)) {
                turns.add(e);
                listener.activity();
                needAgent();
            }
            return;
        }
        if (progress.handledBefore(seq)) {
            return;
        }
        if (kind == Relay.Kind.CANCEL && turn == null && !e.eventType().equals("control_request")) {
            return; // nothing to cancel; a Claude interrupt still gets its answer from the agent
        }
        deferred.add(e);
        needAgent();
    }

    /** Work waits for the agent: wake it, or restart it after it exited. */
    private void needAgent() {
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

    /** Hands waiting work to a ready agent: relays first (in order), then the next turn. */
    private void schedule() {
        while (agent.state() == AgentState.READY && !deferred.isEmpty()) {
            Event e = deferred.poll();
            if (relay.classify(e) == Relay.Kind.CANCEL) {
                if (turn != null && turn.state() != BrokerLifecycles.TurnState.CANCELLING) {
                    turn.fire(TurnEvent.CANCEL);
                }
                relay.cancel(turn, e);
            } else {
                relay.relay(e);
            }
            progress.soon();
        }
        if (agent.state() == AgentState.READY && turn == null && !turns.isEmpty()) {
            startTurn(turns.poll(seq -> publisher.retrying(() -> link.read(seq), "reading #" + seq)));
        }
    }

    private void startTurn(Event trigger) {
        Turn t = new Turn(trigger);
        progress.turnStarting(trigger.sequence());
        turn = t;
        save(t);
        t.fire(TurnEvent.START);
        publisher.system("turn.started", BrokerJson.object().put("turn_id", t.id()), key(trigger.sequence(), "started"));
        listener.activity();
        relay.startTurn(t);
    }

    @Override
    public void turnCompleted(String stopReason) {
        if (turn == null) {
            return;
        }
        String reason = turn.cancelled() ? "cancelled" : stopReason;
        turn.fire(TurnEvent.COMPLETE);
        agent.healthy();
        endTurn("turn.completed", BrokerJson.object().put("turn_id", turn.id()).put("stop_reason", reason));
    }

    @Override
    public void turnFailed(String error, String stopReason) {
        if (turn == null) {
            return;
        }
        if (turn.cancelled()) {
            turnCompleted("cancelled");
            return;
        }
        turn.fire(TurnEvent.FAIL);
        endTurn("turn.failed", BrokerJson.object().put("turn_id", turn.id()).put("error", error)
                .put("stop_reason", stopReason));
    }

    private void endTurn(String type, ObjectNode payload) {
        long trigger = turn.trigger().sequence();
        publisher.system(type, payload, key(trigger, "end"));
        turn = null;
        save(null);
    }

    // ---- durable state ----

    /** Saves the progress with {@code running} as the turn in progress (null: none). */
    private void save(Turn running) {
        long waiting = Math.min(deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().sequence(), relay.oldestInFlight());
        progress.save(running, waiting);
    }

    @Override
    public void answered(Event event) {
        progress.soon();
    }

    @Override
    public void sessionChanged(String newSessionId, String newContext) {
        progress.session(newSessionId, newContext);
        save(turn);
    }

    // ---- publishing for the relay ----

    @Override
    public void send(String line) {
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

    @Override
    public void publish(String eventType, String payload, Event answering) {
        String key;
        if (answering != null) {
            key = key(answering.sequence(), "answer");
        } else if (turn != null) {
            key = key(turn.trigger().sequence(), "o" + turn.nextOutput());
        } else {
            key = "brk-" + run + "-" + runOutputs++;
        }
        if (answering == null) {
            publisher.output(eventType, payload, key);
            return;
        }
        try {
            publisher.agentEvent(eventType, payload, key);
        } catch (MyelinException e) {
            if (e.kind() != ErrorKind.PAYLOAD_TOO_LARGE && e.kind() != ErrorKind.INVALID_REQUEST) {
                throw e;
            }
            agentError("unpublishable", "the agent's " + eventType + " could not be published: " + e.getMessage());
        }
    }

    @Override
    public void agentError(String type, String message) {
        publisher.agentError(type, message, "brk-" + run + "-" + runOutputs++);
    }

    @Override
    public void agentNoise(String line) {
        ObjectNode p = BrokerJson.object().put("log_type", "stdout").put("message", LogLimiter.cut(line, options.maxLogChars()));
        publisher.system("agent.log", p, "brk-" + run + "-" + runOutputs++);
    }

    private void agentLog(String line) {
        log.debug("agent on {}: {}", name, line);
        String message = logs.admit(line, inbox.takeDroppedLogs(), options.maxLogChars());
        if (message != null) {
            ObjectNode p = BrokerJson.object().put("log_type", "stderr").put("message", message);
            publisher.system("agent.log", p, "brk-" + run + "-" + runOutputs++);
        }
    }

    @Override
    public String workingDirectory() {
        return spec.workingDirectory().toAbsolutePath().toString();
    }

    // ---- the agent process ----

    private void launch() {
        agent.launch(new AgentCommand(relay.argv(spec.command()), spec.workingDirectory(), spec.environment()));
        if (agent.running()) {
            firstLaunch.complete(null);
        }
    }

    private void agentLaunchFailed(AgentStartException e) {
        log.warn("broker on {}: {}", name, e.getMessage());
        publisher.brokerError(e.getMessage(), "brk-" + run + "-" + runOutputs++);
        listener.agentExited(-1, e.getMessage());
        firstLaunch.completeExceptionally(e);
    }

    private void agentDied(int status, boolean restoring) {
        lost("agent_exited", "the agent exited with status " + status, status);
        silentDeaths = restoring || (resuming && !heard) ? silentDeaths + 1 : 0;
        if (silentDeaths >= 2 && relay.hasConversation()) {
            silentDeaths = 0;
            relay.forget();
            agentError("restore_failed", "the agent died twice in a row while its conversation was brought back;"
                    + " it starts a new conversation");
            progress.session(null, "{}");
            save(turn);
        }
    }

    /** The agent is gone without being asked: tell clients, fail what waited on it, tell the supervisor. */
    private void lost(String type, String why, int status) {
        log.warn("broker on {}: {}", name, why);
        agentError(type, why);
        relay.agentGone(why);
        turnFailed(why, "error");
        listener.agentExited(status, why);
    }

    /** Stops the agent on the supervisor's or the closer's request; a running turn fails with {@code why}. */
    private void stopAgent(Duration grace, String why) {
        if (agent.running()) {
            relay.agentGone(why);
        }
        turnFailed(why, "error");
        agent.stop(grace);
    }

    @Override
    public void ready() {
        agent.restored();
        wakeAsked = false;
    }

    private boolean hasWork() {
        return !turns.isEmpty() || !deferred.isEmpty();
    }

    /** Restarts an agent that exited once its backoff has passed, if work waits for it. */
    private void timers() {
        if (agent.state() == AgentState.EXITED && hasWork() && options.clock().millis() >= agent.restartAt()) {
            launch();
        }
    }

    /** How long the loop may wait for its inbox before a timer is due (ms, 1..1000). */
    private long timerWait() {
        long now = options.clock().millis();
        long wait = 1000;
        if (agent.state() == AgentState.EXITED && hasWork()) {
            wait = Math.min(wait, agent.restartAt() - now);
        }
        wait = Math.min(wait, progress.untilDue());
        return Math.max(1, wait);
    }

    private void updateIdle() {
        boolean now = turn == null && !hasWork() && relay.oldestInFlight() == Long.MAX_VALUE
                && agent.state() != AgentState.STARTING;
        if (now && !idle) {
            idle = true;
            listener.idle();
        } else if (!now) {
            idle = false;
        }
    }

    private void teardown() {
        closing = true;
        reader.close();
        inbox.close();
        try {
            agent.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            log.warn("broker on {}: stopping the agent failed: {}", name, e.toString());
        }
        link.close();
        firstLaunch.complete(null);
        idle = true;
        done.countDown();
    }

    // ---- the supervisor's commands, run on the broker's thread (see BrokerHandle) ----

    void suspendAgent() {
        if (agent.suspend()) {
            log.info("broker on {}: agent suspended", name);
            wakeIfWorkWaits();
        }
    }

    void shutdownAgent(Duration grace) {
        stopAgent(grace, "the agent was shut down");
        wakeIfWorkWaits();
    }

    /** Work queued before the agent was put to sleep wakes it as new work would. */
    private void wakeIfWorkWaits() {
        if (hasWork()) {
            needAgent();
        }
    }

    void resumeAgent() {
        wakeAsked = false;
        if (agent.resume()) {
            log.info("broker on {}: agent resumed", name);
        } else if (agent.state() == AgentState.STOPPED || agent.state() == AgentState.EXITED) {
            launch();
        }
    }

    /** Stops the agent (a running turn fails) and ends the loop. */
    void closeNow() {
        try {
            stopAgent(options.stopGrace(), "the broker was closed");
            publisher.flush();
        } finally {
            closing = true;
        }
    }

    /** Ends the loop even while it waits in a retry: for a close that took too long. */
    void abort() {
        closing = true;
        publisher.close();
    }

    boolean idle() {
        return idle;
    }

    BrokerInbox inbox() {
        return inbox;
    }

    CompletableFuture<Void> firstLaunch() {
        return firstLaunch;
    }

    boolean awaitDone(Duration d) throws InterruptedException {
        return done.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    String name() {
        return name;
    }

    BrokerOptions options() {
        return options;
    }

    private String key(long sequence, String what) {
        return "brk-" + sequence + "-" + what;
    }

    private static String newRun() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
