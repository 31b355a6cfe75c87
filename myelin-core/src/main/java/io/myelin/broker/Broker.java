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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
final class Broker implements RunningBroker, RelayHost {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    private static final long LAZY_SAVE_MS = 1000;

    /** Another broker saved the axon's state: this one stops. */
    private static final class Superseded extends RuntimeException {
        Superseded(String message) {
            super(message, null, false, false);
        }
    }

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
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final LogLimiter logs;
    private final Thread loop;
    private volatile boolean idle;
    private volatile boolean closing;
    private volatile AxonLink.Feed feed;
    private Thread reader;

    // Confined to the broker's thread from here on.
    private BrokerState saved;
    private long read;
    private long turnCursor;
    private long handledUpTo;
    private String sessionId;
    private String context;
    private boolean dirty;
    private boolean saveSoon;
    private long lastSave;
    private final ArrayDeque<Event> turns = new ArrayDeque<>();
    private final ArrayDeque<Event> deferred = new ArrayDeque<>();
    private Turn turn;
    private boolean wakeAsked;
    private String run = newRun();
    private int runOutputs;

    Broker(BrokerSpec spec, AxonLink link, AgentLauncher launcher, BrokerListener listener, BrokerOptions options) {
        this.spec = spec;
        this.link = link;
        this.launcher = launcher;
        this.listener = listener;
        this.options = options;
        this.inbox = new BrokerInbox(options.inboxEvents(), options.inboxOutput(), 1000);
        this.publisher = new BrokerPublisher(link, spec.devboxId());
        this.relay = spec.protocol() == BrokerProtocol.ACP ? new AcpRelay(this) : new ClaudeRelay(this);
        this.name = spec.axonId();
        this.logs = new LogLimiter(options.logLinesPerSecond(), options.clock());
        this.agent = new AgentRunner(launcher, inbox, options, name, new AgentRunner.Events() {
            @Override
            public void launched() {
                run = newRun();
                relay.started();
            }

            @Override
            public void launchFailed(AgentStartException e) {
                agentLaunchFailed(e);
            }

            @Override
            public void died(int status) {
                agentDied(status);
            }
        });
        this.loop = Thread.ofVirtual().name("broker-" + name).unstarted(this::runLoop);
    }

    /**
     * Starts the broker's thread and waits (at most {@code startTimeout}) for the agent's first launch.
     *
     * @throws AgentStartException when the agent could not be started (the broker is then closed)
     */
    Broker start() {
        loop.start();
        try {
            firstLaunch.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            log.warn("broker on {}: the agent is not launched after {} ms; going on", name, options.startTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the broker of " + name);
        }
        return this;
    }

    String axonId() {
        return spec.axonId();
    }

    // ---- the broker's thread ----

    private void runLoop() {
        try {
            begin();
            while (!closing) {
                BrokerInbox.Item item = inbox.take(TimeUnit.MILLISECONDS.toNanos(timerWait()), turns.size() < options.maxQueuedTurns());
                try {
                    if (item != null) {
                        handle(item);
                    }
                    timers();
                    schedule();
                    saveIfDue();
                    updateIdle();
                } catch (Superseded | BrokerPublisher.Closing e) {
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
        } catch (Superseded e) {
            log.warn("broker on {} stops: {}", name, e.getMessage());
            listener.agentExited(-1, e.getMessage());
        } catch (BrokerPublisher.Closing e) {
            log.debug("broker on {} closing", name);
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                log.info("broker on {} stops: the axon is gone", name);
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
        saved = publisher.retrying(link::loadState, "loading the broker state");
        relay.restore(saved);
        read = saved.cursor();
        handledUpTo = saved.cursor();
        turnCursor = saved.turnCursor();
        sessionId = saved.sessionId();
        context = saved.context();
        if (saved.turnRunning()) {
            String id = saved.turnId();
            long trigger = saved.turnTrigger();
            log.info("broker on {}: {} was running when the last broker stopped; it fails", name, id);
            publisher.system("turn.started", BrokerJson.object().put("turn_id", id), key(trigger, "started"));
            publisher.system("turn.failed", BrokerJson.object().put("turn_id", id).put("error", "broker restarted")
                    .put("stop_reason", "error"), key(trigger, "end"));
            save(null);
        }
        feed = link.subscribe(turnCursor);
        reader = Thread.ofVirtual().name("broker-" + name + "-reader").start(this::readAxon);
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
                    relay.agentLine(o.line());
                }
            }
            case BrokerInbox.AgentLog l -> agentLog(l.line());
        }
    }

    private void onEvent(Event e) {
        long seq = e.sequence();
        if (seq <= read && seq > handledUpTo) {
            return; // a feed that resubscribed handed an event twice
        }
        read = Math.max(read, seq);
        dirty = true;
        if (e.origin() == Origin.AGENT_EVENT || e.origin() == Origin.SYSTEM_EVENT) {
            return;
        }
        Relay.Kind kind = relay.classify(e);
        if (kind == Relay.Kind.TURN) {
            if (seq > turnCursor) {
                turns.add(e);
                listener.activity();
                needAgent();
            }
            return;
        }
        if (seq <= handledUpTo) {
            return; // handled before the broker restarted
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
            saveSoon = true;
        }
        if (agent.state() == AgentState.READY && turn == null && !turns.isEmpty()) {
            startTurn(turns.poll());
        }
    }

    private void startTurn(Event trigger) {
        Turn t = new Turn(trigger);
        turnCursor = trigger.sequence();
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

    /** Saves the state with {@code running} as the turn in progress (null: none). */
    private void save(Turn running) {
        long cursor = Math.min(read, Math.min(deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().sequence() - 1,
                relay.oldestInFlight() == Long.MAX_VALUE ? Long.MAX_VALUE : relay.oldestInFlight() - 1));
        cursor = Math.max(cursor, turnCursor);
        BrokerState next = new BrokerState(saved.version(), cursor, turnCursor, running == null ? null : running.id(),
                running == null ? 0 : running.trigger().sequence(), sessionId, context);
        String key = "brk-state-" + UUID.randomUUID();
        try {
            saved = publisher.retrying(() -> link.saveState(next, key), "saving the broker state");
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.CONFLICT && "version".equals(e.field())) {
                throw new Superseded("another broker saved the state of axon " + name + " (" + e.getMessage() + ")");
            }
            throw e;
        }
        dirty = false;
        saveSoon = false;
        lastSave = options.clock().millis();
    }

    private void saveIfDue() {
        if (saveSoon || (dirty && options.clock().millis() - lastSave >= LAZY_SAVE_MS)) {
            save(turn);
        }
    }

    @Override
    public void answered(Event event) {
        saveSoon = true;
    }

    @Override
    public void sessionChanged(String newSessionId, String newContext) {
        this.sessionId = newSessionId;
        this.context = newContext;
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

    private void agentDied(int status) {
        lost("agent_exited", "the agent exited with status " + status, status);
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
        if (dirty) {
            wait = Math.min(wait, lastSave + LAZY_SAVE_MS - now);
        }
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

    // ---- the axon reader ----

    private void readAxon() {
        long after = turnCursor;
        AxonLink.Feed current = feed;
        while (!closing) {
            try {
                for (Event e : current.next(Duration.ofSeconds(1))) {
                    if (!inbox.event(e)) {
                        return;
                    }
                    after = e.sequence();
                }
            } catch (InterruptedException e) {
                return;
            } catch (MyelinException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    postFailure(e);
                    return;
                }
                current = resubscribe(current, after, e);
            } catch (RuntimeException e) {
                current = resubscribe(current, after, e);
            }
        }
    }

    private AxonLink.Feed resubscribe(AxonLink.Feed old, long after, RuntimeException cause) {
        log.warn("broker on {}: reading the axon failed ({}); reading again after #{}", name, cause.getMessage(), after);
        old.close();
        AxonLink.Feed fresh = publisher.retrying(() -> link.subscribe(after), "subscribing");
        feed = fresh;
        return fresh;
    }

    private void postFailure(MyelinException e) {
        try {
            inbox.control(() -> {
                throw e;
            });
        } catch (IllegalStateException closed) {
            // already closing
        }
    }

    private void teardown() {
        closing = true;
        AxonLink.Feed f = feed;
        if (f != null) {
            f.close();
        }
        if (reader != null) {
            reader.interrupt();
        }
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

    // ---- MountedBroker: commands run on the broker's thread ----

    @Override
    public void suspend(Duration deadline) {
        call(() -> {
            if (agent.suspend()) {
                log.info("broker on {}: agent suspended", name);
            }
        }, deadline);
    }

    @Override
    public void shutdown(Duration deadline) {
        call(() -> stopAgent(deadline, "the agent was shut down"), deadline.plus(options.startTimeout()));
    }

    @Override
    public void resume() {
        call(() -> {
            wakeAsked = false;
            if (agent.resume()) {
                log.info("broker on {}: agent resumed", name);
            } else if (agent.state() == AgentState.STOPPED || agent.state() == AgentState.EXITED) {
                launch();
            }
        }, options.startTimeout());
    }

    @Override
    public boolean idle() {
        return idle;
    }

    @Override
    public void close() {
        if (!closeRequested.compareAndSet(false, true)) {
            awaitDone(options.stopGrace().plusSeconds(10));
            return;
        }
        if (Thread.currentThread() == loop) {
            closing = true;
            return;
        }
        try {
            inbox.control(() -> {
                stopAgent(options.stopGrace(), "the broker was closed");
                closing = true;
            });
        } catch (IllegalStateException alreadyStopped) {
            // the loop ended on its own
        }
        if (!awaitDone(options.stopGrace().plusSeconds(10))) {
            log.warn("broker on {} did not stop in time; interrupting it", name);
            closing = true;
            publisher.close();
            loop.interrupt();
            awaitDone(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean awaitStopped(Duration max) throws InterruptedException {
        return done.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean awaitDone(Duration d) {
        try {
            return done.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code action} on the broker's thread and waits for it at most {@code deadline}. */
    private void call(Runnable action, Duration deadline) {
        if (Thread.currentThread() == loop) {
            action.run();
            return;
        }
        CompletableFuture<Void> ran = new CompletableFuture<>();
        try {
            inbox.control(() -> {
                try {
                    action.run();
                } finally {
                    ran.complete(null);
                }
            });
        } catch (IllegalStateException closed) {
            return;
        }
        try {
            ran.get(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("broker on {}: a command did not finish within {} ms; it still runs", name, deadline.toMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String key(long sequence, String what) {
        return "brk-" + sequence + "-" + what;
    }

    private static String newRun() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
