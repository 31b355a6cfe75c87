package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * How far a broker has come on its axon, and the saving of it ({@link BrokerState}): the cursors, the turn in
 * progress, the session. Saves are made over the version last read or saved; a save refused because another broker
 * saved meanwhile ({@link Superseded}) stops this broker.
 *
 * <p>What may be saved as the cursor is the lowest of: the last event read, and one below every event still
 * waiting (a relay deferred until the agent is ready, a client request without its answer). Events that need no
 * save of their own (the broker's own events read back, ignored events) move the cursor lazily, at most once a
 * {@value #LAZY_SAVE_MS} ms.
 *
 * <p>The permission intents the broker has open ({@link BrokerIntents}) are saved too, as {@value #OPEN_INTENTS} in
 * the state's context beside what the relay keeps there: they wait on an agent process that does not outlive the
 * broker, so the next broker cancels them.
 *
 * <p>Confined to the broker's thread.
 */
final class BrokerProgress {
    static final long LAZY_SAVE_MS = 1000;
    /** The context's member listing the ids of the intents the broker had open. */
    static final String OPEN_INTENTS = "open_intents";

    /** Another broker saved the axon's state: this one stops. */
    static final class Superseded extends RuntimeException {
        Superseded(String message) {
            super(message, null, false, false);
        }
    }

    private final AxonLink link;
    private final BrokerPublisher publisher;
    private final InstantSource clock;
    private BrokerState saved;
    private long read;
    private long turnCursor;
    private long handledUpTo;
    private String sessionId;
    private String context;
    private final Set<String> openIntents = new LinkedHashSet<>();
    private List<String> leftOpen = List.of();
    private boolean dirty;
    private boolean soon;
    private long lastSave;

    BrokerProgress(AxonLink link, BrokerPublisher publisher, InstantSource clock) {
        this.link = link;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Reads the saved state (retrying while the server cannot answer). */
    BrokerState load() {
        saved = publisher.retrying(link::loadState, "loading the broker state");
        read = saved.cursor();
        handledUpTo = saved.cursor();
        turnCursor = saved.turnCursor();
        sessionId = saved.sessionId();
        context = saved.context();
        ObjectNode ctx = BrokerJson.object(context);
        if (ctx != null && ctx.remove(OPEN_INTENTS) instanceof JsonNode ids) {
            leftOpen = ids.valueStream().filter(JsonNode::isTextual).map(JsonNode::asText).toList();
            openIntents.addAll(leftOpen); // until the new broker has cancelled them
            context = BrokerJson.text(ctx);
        }
        lastSave = clock.millis();
        return saved;
    }

    /** The intents the last broker had open when it stopped, as {@link #load} found them (open until closed). */
    List<String> leftOpen() {
        return leftOpen;
    }

    /** How many intents are open (the broker's own and those left to cancel). */
    int openIntents() {
        return openIntents.size();
    }

    void intentOpened(String id) {
        openIntents.add(id);
        soon = true;
    }

    void intentClosed(String id) {
        if (openIntents.remove(id)) {
            soon = true;
        }
    }

    /** The last turn-starting event whose turn started: the axon is read again after it. */
    long turnCursor() {
        return turnCursor;
    }

    /**
     * Takes note of event {@code seq} as read; false when it was read already (a feed that resubscribed may hand an
     * event twice).
     */
    boolean read(long seq) {
        if (seq <= read && seq > handledUpTo) {
            return false;
        }
        read = Math.max(read, seq);
        dirty = true;
        return true;
    }

    /** Whether {@code seq} was handled before this broker started (only its turn, if it is one, waits still). */
    boolean handledBefore(long seq) {
        return seq <= handledUpTo;
    }

    /** Whether a turn-starting event at {@code seq} has not started its turn yet. */
    boolean turnPending(long seq) {
        return seq > turnCursor;
    }

    void turnStarting(long seq) {
        turnCursor = seq;
    }

    void session(String id, String ctx) {
        this.sessionId = id;
        this.context = ctx;
    }

    /** Something happened that a crash should not have to repeat: save at the end of this round. */
    void soon() {
        soon = true;
    }

    boolean due() {
        return soon || (dirty && clock.millis() - lastSave >= LAZY_SAVE_MS);
    }

    /** How long until a lazy save is due (ms), or {@link Long#MAX_VALUE} when none is waiting. */
    long untilDue() {
        return dirty ? lastSave + LAZY_SAVE_MS - clock.millis() : Long.MAX_VALUE;
    }

    /**
     * Saves, with {@code running} as the turn in progress (null: none).
     *
     * @param firstWaiting the lowest sequence of an event still waiting, or {@link Long#MAX_VALUE}
     * @throws Superseded when another broker saved meanwhile
     */
    void save(Turn running, long firstWaiting) {
        saveThen(running, firstWaiting, null, null, null);
    }

    /**
     * Saves as {@link #save} does, then (when {@code eventType} is not null) appends that {@code SYSTEM_EVENT} under
     * {@code eventKey}, never durable before the state, in one wait where the link allows
     * ({@link AxonLink#saveStateThenPublish}).
     *
     * @throws Superseded when another broker saved meanwhile
     */
    void saveThen(Turn running, long firstWaiting, String eventType, String payload, String eventKey) {
        long cursor = Math.max(turnCursor, Math.min(read, firstWaiting == Long.MAX_VALUE ? Long.MAX_VALUE : firstWaiting - 1));
        BrokerState next = new BrokerState(saved.version(), cursor, turnCursor, running == null ? null : running.id(),
                running == null ? 0 : running.trigger().sequence(), sessionId, contextToSave());
        String key = "brk-state-" + UUID.randomUUID();
        try {
            saved = publisher.retrying(() -> eventType == null ? link.saveState(next, key)
                    : link.saveStateThenPublish(next, key, eventType, payload, eventKey), "saving the broker state");
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.CONFLICT && "version".equals(e.field())) {
                throw new Superseded("another broker saved the state of axon " + link.axonId() + " (" + e.getMessage() + ")");
            }
            throw e;
        }
        dirty = false;
        soon = false;
        lastSave = clock.millis();
    }

    /** The relay's context, with the open intents beside it when there are any. */
    private String contextToSave() {
        ObjectNode ctx = openIntents.isEmpty() ? null : BrokerJson.object(context);
        if (ctx == null) {
            return context;
        }
        openIntents.forEach(ctx.putArray(OPEN_INTENTS)::add);
        return BrokerJson.text(ctx);
    }
}
