package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.broker.BrokerLifecycles.AgentState;
import io.myelin.broker.BrokerLifecycles.TurnEvent;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker: relays one axon to one agent process, one turn at a time, durably (see the package documentation for
 * the whole design). Everything here runs on the broker's own thread ({@link BrokerHandle} owns it): the inbox, the
 * relay, the turns, the progress. Used inside the server and beside the agent alike; the two differ only in their
 * {@link AxonLink}.
 */
final class Broker implements RelayHost {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerSpec spec;
    private final AxonLink link;
    private final BrokerListener listener;
    private final BrokerOptions options;
    private final BrokerInbox inbox;
    private final BrokerPublisher publisher;
    private final Relay relay;
    private final String name;
    private final AgentSlot agent;
    private final CountDownLatch done = new CountDownLatch(1);
    private final LogLimiter logs;
    /** Plain lines on the agent's stdout (not protocol): limited as stderr is, each with its own budget. */
    private final LogLimiter stdoutLines;
    private volatile boolean idle;
    private volatile boolean closing;
    private final AxonReader reader;
    private final BrokerProgress progress;
    private final BrokerIntents intents;

    // Confined to the broker's thread from here on.
    private final TurnQueue turns;
    private final ArrayDeque<Event> deferred = new ArrayDeque<>();
    private Turn turn;
    private final EventKeys keys = new EventKeys();

    Broker(BrokerSpec spec, AxonLink link, AgentLauncher launcher, BrokerListener listener, BrokerOptions options,
           boolean launchAtStart) {
        this.spec = spec;
        this.link = link;
        this.listener = listener;
        this.options = options;
        this.inbox = new BrokerInbox(options.inboxEvents(), options.inboxOutput(), 1000);
        this.publisher = new BrokerPublisher(link, spec.devboxId(), why -> agentError("unpublishable", why));
        this.relay = spec.protocol() == BrokerProtocol.ACP ? new AcpRelay(this, options.clock()) : new ClaudeRelay(this);
        this.name = spec.axonId();
        this.logs = new LogLimiter(options.logLinesPerSecond(), options.clock());
        this.stdoutLines = new LogLimiter(options.logLinesPerSecond(), options.clock());
        this.reader = new AxonReader(link, inbox, publisher);
        this.progress = new BrokerProgress(link, publisher, options.clock());
        this.intents = new BrokerIntents(link, publisher, progress, this::agentError, () -> save(turn));
        this.turns = new TurnQueue(options.maxQueuedTurns(), options.maxQueuedTurnBytes());
        this.agent = new AgentSlot(spec, relay, launcher, inbox, listener, options, launchAtStart, new AgentSlot.Host() {
            @Override
            public void newProcess() {
                keys.newProcess();
            }

            @Override
            public void brokerError(String message) {
                publisher.brokerError(message, keys.next());
            }

            @Override
            public void agentError(String type, String message) {
                Broker.this.agentError(type, message);
            }

            @Override
            public void turnFailed(String error, String stopReason) {
                Broker.this.turnFailed(error, stopReason);
            }

            @Override
            public boolean hasWork() {
                return Broker.this.hasWork();
            }

            @Override
            public void conversationForgotten() {
                progress.session(null, "{}");
                save(turn);
            }
        });
    }

    // ---- the broker's thread ----

    /**
     * The broker's thread, until closed; throws what ended it otherwise ({@link BrokerProgress.Superseded}: another
     * broker took over; a {@link MyelinException} 404: the axon is gone). {@link BrokerHandle} reports it.
     */
    void run() throws InterruptedException {
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
                agent.restartIfDue();
                agent.handshakeIfOverdue();
                agent.cancelIfOverdue(turn);
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
        intents.cancelLeftOpen("broker restarted"); // their agent is gone; a late answer must reach no new one
        if (saved.turnRunning()) {
            String id = saved.turnId();
            long trigger = saved.turnTrigger();
            log.info("broker on {}: {} was running when the last broker stopped; it fails", name, id);
            publisher.system("turn.started", BrokerJson.object().put("turn_id", id), EventKeys.started(trigger));
            publisher.system("turn.failed", BrokerJson.object().put("turn_id", id).put("error", "broker restarted")
                    .put("stop_reason", "error"), EventKeys.end(trigger));
            save(null);
        }
        reader.start(progress.turnCursor());
        agent.begin();
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
                    agent.heard();
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
        if (intents.ends(e)) { // the agent's request it waited on gets its answer: like a relay, in order
            deferred.add(e);
            agent.needAgent();
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
                agent.needAgent();
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
        agent.needAgent();
    }

    /** Hands waiting work to a ready agent: relays first (in order), then the next turn. */
    private void schedule() {
        while (agent.state() == AgentState.READY && !deferred.isEmpty()) {
            Event e = deferred.poll();
            if (e.origin() == Origin.SYSTEM_EVENT) {
                intents.ended(e);
            } else if (relay.classify(e) == Relay.Kind.CANCEL) {
                if (turn != null && turn.state() != BrokerLifecycles.TurnState.CANCELLING) {
                    turn.cancel(options.clock().millis());
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
        publisher.flush(); // the output before it stays before it
        // The state (turn running) and turn.started are queued together: the event never lands without the state.
        progress.saveThen(t, firstWaiting(), "turn.started", BrokerJson.text(BrokerJson.object().put("turn_id", t.id())),
                EventKeys.started(trigger.sequence()));
        t.fire(TurnEvent.START);
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
        publisher.system(type, payload, EventKeys.end(trigger));
        turn = null;
        save(null);
    }

    // ---- durable state ----

    /** Saves the progress with {@code running} as the turn in progress (null: none). */
    private void save(Turn running) {
        progress.save(running, firstWaiting());
    }

    /** The lowest sequence of an event still waiting (a deferred relay, a request without its answer), or MAX. */
    private long firstWaiting() {
        return Math.min(deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().sequence(), relay.oldestInFlight());
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
        agent.send(line);
    }

    @Override
    public void publish(String eventType, String payload, Event answering) {
        String key;
        if (answering != null) {
            key = EventKeys.answer(answering.sequence());
        } else if (turn != null) {
            key = EventKeys.output(turn);
        } else {
            key = keys.next();
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
    public String publishWaiting(String eventType, String payload, IntentRequest intent, Consumer<Intent> ended) {
        String key = turn != null ? EventKeys.output(turn) : keys.next();
        publisher.output(eventType, payload, key);
        publisher.flush(); // the request's event comes before its intent.created
        return intents.open(intent, EventKeys.intent(key), ended);
    }

    @Override
    public void resolveIntent(String id, Outcome outcome, JsonNode result, String comment) {
        intents.resolve(id, outcome, result, comment);
    }

    @Override
    public void cancelIntent(String id, String reason) {
        intents.cancel(id, reason);
    }

    @Override
    public void agentError(String type, String message) {
        publisher.agentError(type, message, keys.next());
    }

    @Override
    public void agentNoise(String line) {
        String message = stdoutLines.admit(line, 0, options.maxLogChars());
        if (message != null) {
            publisher.agentLog("stdout", message, keys.next());
        }
    }

    private void agentLog(String line) {
        log.debug("agent on {}: {}", name, line);
        String message = logs.admit(line, inbox.takeDroppedLogs(), options.maxLogChars());
        if (message != null) {
            publisher.agentLog("stderr", message, keys.next());
        }
    }

    @Override
    public String workingDirectory() {
        return spec.workingDirectory().toAbsolutePath().toString();
    }

    // ---- the agent process (see AgentSlot) ----

    @Override
    public void ready() {
        agent.ready();
    }

    private boolean hasWork() {
        return !turns.isEmpty() || !deferred.isEmpty();
    }

    /** How long the loop may wait for its inbox before a timer is due (ms, 1..1000). */
    private long timerWait() {
        return Math.max(1, Math.min(agent.untilDue(1000, turn), progress.untilDue()));
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

    /** Releases everything once the loop has ended, however it ended. */
    void teardown() {
        closing = true;
        reader.close();
        inbox.close();
        try {
            agent.close(options.stopGrace());
        } catch (RuntimeException e) {
            log.warn("broker on {}: stopping the agent failed: {}", name, e.toString());
        }
        link.close();
        idle = true;
        done.countDown();
    }

    // ---- the supervisor's commands, run on the broker's thread (see BrokerHandle) ----

    void suspendAgent() {
        agent.suspend();
    }

    void shutdownAgent(Duration grace) {
        agent.shutdown(grace);
    }

    void resumeAgent() {
        agent.resume();
    }

    /** Stops the agent (a running turn fails) and ends the loop. */
    void closeNow() {
        try {
            agent.stop(options.stopGrace(), "the broker was closed");
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

    BrokerListener listener() {
        return listener;
    }

    BrokerInbox inbox() {
        return inbox;
    }

    CompletableFuture<Void> firstLaunch() {
        return agent.firstLaunch();
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
}
