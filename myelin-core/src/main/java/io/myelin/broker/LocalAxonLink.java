package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.RequestKey;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Intents;
import io.myelin.intent.Outcome;
import io.myelin.storage.QueuedWrite;
import io.myelin.stream.Appended;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventLog;
import io.myelin.stream.Origin;
import io.myelin.stream.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AxonLink} inside the server: the event log, the broker state store and the intents engine themselves, no
 * HTTP. The broker acts as {@link Caller#SYSTEM} (so the intents it resolves or cancels are {@code resolved_by:
 * "system"}); its events carry the source {@value BrokerEvents#SOURCE}.
 */
public final class LocalAxonLink implements AxonLink {
    private static final String KEY_LABEL = "broker idempotency key";

    private final String axonId;
    private final EventLog events;
    private final BrokerStates states;
    private final Intents intents;

    public LocalAxonLink(String axonId, EventLog events, BrokerStates states, Intents intents) {
        this.axonId = axonId;
        this.events = events;
        this.states = states;
        this.intents = intents;
    }

    @Override
    public String axonId() {
        return axonId;
    }

    @Override
    public BrokerState loadState() {
        return states.load(Caller.SYSTEM, axonId);
    }

    @Override
    public BrokerState saveState(BrokerState next, String key) {
        return states.save(Caller.SYSTEM, axonId, next, new RequestKey(key, KEY_LABEL, stateFingerprint(next)));
    }

    private static Fingerprint stateFingerprint(BrokerState next) {
        return Fingerprint.builder().add("broker state").add(next.version()).add(next.cursor())
                .add(next.turnCursor()).add(next.turnId()).add(next.turnTrigger())
                .add(next.sessionId()).add(next.context()).build();
    }

    /** Queues the save and the event to the one writer, in that order, and waits once: they share a commit. */
    @Override
    public BrokerState saveStateThenPublish(BrokerState next, String stateKey, String eventType, String payload,
                                            String eventKey) {
        QueuedWrite<BrokerState> saved = states.saveQueued(Caller.SYSTEM, axonId, next,
                new RequestKey(stateKey, KEY_LABEL, stateFingerprint(next)));
        QueuedWrite<Appended> event;
        try {
            event = events.publishSystemQueued(Caller.SYSTEM, axonId, eventType, BrokerEvents.SOURCE, payload,
                    new RequestKey(eventKey, KEY_LABEL, Fingerprint.builder().add(Origin.SYSTEM_EVENT.name())
                            .add(eventType).add(payload).build()));
        } catch (MyelinException e) {
            saved.await();
            throw e;
        }
        BrokerState state = saved.await();
        try {
            event.await();
        } catch (MyelinException e) {
            if (e.kind() != ErrorKind.UNPROCESSABLE) {
                throw e;
            }
        }
        return state;
    }

    @Override
    public long publish(Origin origin, String eventType, String payload, String key) {
        RequestKey k = new RequestKey(key, KEY_LABEL,
                Fingerprint.builder().add(origin.name()).add(eventType).add(payload).build());
        if (origin == Origin.SYSTEM_EVENT) {
            return events.publishSystem(Caller.SYSTEM, axonId, eventType, BrokerEvents.SOURCE, payload, k).sequence();
        }
        return events.publish(Caller.SYSTEM, axonId, new EventDraft(eventType, origin, BrokerEvents.SOURCE, payload), k).sequence();
    }

    @Override
    public void publishBatch(List<Out> batch, String key) {
        Fingerprint.Builder fp = Fingerprint.builder().add("broker batch");
        List<EventDraft> drafts = new ArrayList<>(batch.size());
        for (Out o : batch) {
            fp.add(o.eventType()).add(o.payload());
            drafts.add(new EventDraft(o.eventType(), Origin.AGENT_EVENT, BrokerEvents.SOURCE, o.payload()));
        }
        events.publishBatch(Caller.SYSTEM, axonId, drafts, new RequestKey(key, KEY_LABEL, fp.build()));
    }

    @Override
    public Intent createIntent(IntentRequest r, String key) {
        Fingerprint fp = Fingerprint.builder().add("intent").add(r.kind()).add(r.waitingFor().wire()).add(r.title())
                .add(r.payload()).add(r.assignee()).build();
        return intents.create(Caller.SYSTEM, axonId, r, new RequestKey(key, KEY_LABEL, fp));
    }

    @Override
    public Intent resolveIntent(String intentId, Outcome outcome, JsonNode result, String comment, String key) {
        Fingerprint fp = Fingerprint.builder().add("resolve").add(intentId).add(outcome.wire()).add(result)
                .add(comment).build();
        return intents.resolve(Caller.SYSTEM, intentId, outcome, result, comment, new RequestKey(key, KEY_LABEL, fp));
    }

    @Override
    public Intent cancelIntent(String intentId, String reason, String key) {
        Fingerprint fp = Fingerprint.builder().add("cancel").add(intentId).add(reason).build();
        return intents.cancel(Caller.SYSTEM, intentId, reason, new RequestKey(key, KEY_LABEL, fp));
    }

    @Override
    public Event read(long sequence) {
        List<Event> page = events.history(Caller.SYSTEM, axonId, sequence + 1, 1, false).events();
        if (page.isEmpty() || page.get(0).sequence() != sequence) {
            throw MyelinException.notFound("event", axonId + "#" + sequence);
        }
        return page.get(0);
    }

    @Override
    public Feed subscribe(long afterSequence) {
        Subscription sub = events.subscribe(Caller.SYSTEM, axonId, afterSequence);
        return new Feed() {
            @Override
            public List<Event> next(Duration wait) throws InterruptedException {
                // The broker bounds what it holds itself (its inbox, BrokerOptions): the server's memory budget is
                // for HTTP answers held for slow clients, so this read is not counted in it.
                return sub.next(Math.max(1, wait.toMillis()));
            }

            @Override
            public void close() {
                sub.close();
            }
        };
    }

    @Override
    public void close() {
    }
}
