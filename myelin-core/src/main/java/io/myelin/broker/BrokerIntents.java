package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentJson;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intents a broker opens on its axon for what its agent waits on (permission requests): created through the
 * {@link AxonLink}, each with a waiter that runs when the intent ends. The broker learns of the end from the axon's
 * stream it reads anyway ({@code intent.resolved}, {@code intent.cancelled}, {@code intent.expired}, whose payload
 * is the intent), never by polling; it resolves or cancels an intent itself when the agent's request ends another
 * way (a client answered its event, the turn was cancelled, the agent is gone).
 *
 * <p>The ids of the open intents are saved with the broker's progress ({@link BrokerProgress#OPEN_INTENTS}): they
 * wait on an agent process that does not outlive the broker, so a broker that starts cancels the ones its
 * predecessor left ({@link #cancelLeftOpen}), and an end that arrives for an intent no waiter holds reaches no agent.
 * At most {@value #MAX_OPEN} are open at once; beyond that a request waits only as its event.
 *
 * <p>Confined to the broker's thread; every call blocks until durable, retrying what can be retried.
 */
final class BrokerIntents {
    private static final Logger log = LoggerFactory.getLogger(BrokerIntents.class);
    /** The most intents one broker keeps open (their ids are saved in the broker state's context). */
    static final int MAX_OPEN = 1000;
    private static final Set<String> ENDS = Set.of("intent.resolved", "intent.cancelled", "intent.expired");

    private final AxonLink link;
    private final BrokerPublisher publisher;
    private final BrokerProgress progress;
    private final BiConsumer<String, String> agentError;
    private final Runnable save;
    private final Map<String, Consumer<Intent>> waiters = new HashMap<>();

    /**
     * @param agentError publishes {@code agent.error {type, message}}
     * @param save       saves the broker's progress now (with the open intents)
     */
    BrokerIntents(AxonLink link, BrokerPublisher publisher, BrokerProgress progress,
                  BiConsumer<String, String> agentError, Runnable save) {
        this.link = link;
        this.publisher = publisher;
        this.progress = progress;
        this.agentError = agentError;
        this.save = save;
    }

    /**
     * Creates {@code request} as an intent under {@code key} and runs {@code ended} with it once it ends; returns its
     * id, or null when it could not be created ({@code agent.error {type: "intent_failed"}} says why).
     *
     * @throws MyelinException 404 when the axon is gone
     */
    String open(IntentRequest request, String key, Consumer<Intent> ended) {
        if (progress.openIntents() >= MAX_OPEN) {
            agentError.accept("intent_failed", "the agent's " + request.kind() + " request waits only as its event: "
                    + MAX_OPEN + " intents of this broker are open already");
            return null;
        }
        Intent created;
        try {
            created = publisher.retrying(() -> link.createIntent(request, key), "creating a " + request.kind()
                    + " intent");
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) { // only the axon can be missing: the broker stops
                throw e;
            }
            agentError.accept("intent_failed", "the agent's " + request.kind() + " request could not wait as an"
                    + " intent (" + e.getMessage() + "); a client may still answer its event");
            return null;
        }
        if (!created.waiting()) {
            return null; // created by an earlier attempt and already ended: nothing waits on it
        }
        waiters.put(created.id(), ended);
        progress.intentOpened(created.id());
        save.run(); // at once: until it is saved, a crash would leave the intent waiting with no broker to cancel it
        return created.id();
    }

    /** Whether {@code e} is the end of an intent a waiter of this broker holds. */
    boolean ends(Event e) {
        return e.origin() == Origin.SYSTEM_EVENT && ENDS.contains(e.eventType()) && !waiters.isEmpty()
                && waiters.containsKey(BrokerJson.string(BrokerJson.object(e.payload()), "id"));
    }

    /** Runs the waiter of the intent {@code e} ended (nothing when none holds it any more). */
    void ended(Event e) {
        Intent intent;
        try {
            intent = IntentJson.parse(e.payload());
        } catch (MyelinException unreadable) {
            log.warn("broker on {}: {} #{} is not an intent: {}", link.axonId(), e.eventType(), e.sequence(),
                    unreadable.getMessage());
            return;
        }
        Consumer<Intent> waiter = waiters.remove(intent.id());
        if (waiter != null) {
            progress.intentClosed(intent.id());
            waiter.accept(intent);
        }
    }

    /** Resolves the open intent {@code id}: its request ended another way. An intent already ended stays as it is. */
    void resolve(String id, Outcome outcome, JsonNode result, String comment) {
        close(id, "resolving", () -> link.resolveIntent(id, outcome, result, comment, "brk-" + id + "-resolve"));
    }

    /** Cancels the open intent {@code id} with {@code reason}. An intent already ended stays as it is. */
    void cancel(String id, String reason) {
        close(id, "cancelling", () -> link.cancelIntent(id, reason, "brk-" + id + "-cancel"));
    }

    /** Cancels the intents the last broker left open (its agent is gone): a late answer reaches no new agent. */
    void cancelLeftOpen(String reason) {
        for (String id : progress.leftOpen()) {
            cancel(id, reason);
        }
    }

    private void close(String id, String what, Supplier<Intent> call) {
        waiters.remove(id);
        try {
            publisher.retrying(call, what + " intent " + id);
        } catch (MyelinException e) {
            if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                agentError.accept("intent_failed", what + " intent " + id + " failed: " + e.getMessage());
            }
            log.debug("broker on {}: {} intent {}: {}", link.axonId(), what, id, e.getMessage());
        }
        progress.intentClosed(id);
    }
}
