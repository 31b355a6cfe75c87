package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.broker.AxonLink;
import io.myelin.broker.BrokerEvents;
import io.myelin.broker.BrokerState;
import io.myelin.client.AxonEvent;
import io.myelin.client.AxonHandle;
import io.myelin.client.MyelinApiException;
import io.myelin.client.MyelinClient;
import io.myelin.client.MyelinConnectionException;
import io.myelin.client.NewEvent;
import io.myelin.client.Subscription;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentJson;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AxonLink} to a remote server through the Java client: the axon's events ({@code publish}, SSE), the
 * {@code /v1/axons/{id}/broker} extension (state, system events) and the intents API (the agent's permission
 * requests), all with the broker's key. The client's own retries carry every call across
 * a server restart; what still fails is turned into the engine's {@link MyelinException} with the same kind the
 * server would have raised in process, so the broker handles both links alike.
 */
final class RemoteAxonLink implements AxonLink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AxonHandle axon;

    RemoteAxonLink(MyelinClient client, String axonId) {
        this.axon = client.axon(axonId);
    }

    @Override
    public String axonId() {
        return axon.id();
    }

    @Override
    public BrokerState loadState() {
        return call(() -> fromWire(axon.broker().state()));
    }

    @Override
    public BrokerState saveState(BrokerState next, String key) {
        return call(() -> fromWire(axon.broker().save(toWire(next), key)));
    }

    @Override
    public long publish(Origin origin, String eventType, String payload, String key) {
        return call(() -> origin == Origin.SYSTEM_EVENT
                ? axon.broker().publishSystemEvent(eventType, payload, key).sequence()
                : axon.publish(NewEvent.of(eventType, io.myelin.client.Origin.valueOf(origin.name()), BrokerEvents.SOURCE,
                        payload), key).sequence());
    }

    @Override
    public void publishBatch(List<Out> events, String key) {
        List<NewEvent> batch = events.stream().map(o -> NewEvent.of(o.eventType(), io.myelin.client.Origin.AGENT_EVENT,
                BrokerEvents.SOURCE, o.payload())).toList();
        call(() -> axon.publishBatch(batch, key));
    }

    @Override
    public Intent createIntent(IntentRequest r, String key) {
        ObjectNode body = JSON.createObjectNode().put("kind", r.kind()).put("waiting_for", r.waitingFor().wire());
        optional(body, "title", r.title());
        if (r.payload() != null) {
            body.set("payload", r.payload());
        }
        optional(body, "assignee", r.assignee());
        optional(body, "escalate_to", r.escalateTo());
        optional(body, "on_deadline", r.onDeadline() == null ? null : r.onDeadline().wire());
        optional(body, "fire_at_ms", r.fireAtMs());
        optional(body, "deadline_ms", r.deadlineMs());
        optional(body, "remind_every_ms", r.remindEveryMs());
        optional(body, "fire_in_ms", r.fireInMs());
        optional(body, "deadline_in_ms", r.deadlineInMs());
        return call(() -> intent(axon.broker().createIntent(body, key)));
    }

    @Override
    public Intent resolveIntent(String intentId, Outcome outcome, JsonNode result, String comment, String key) {
        ObjectNode body = JSON.createObjectNode().put("outcome", outcome.wire());
        if (result != null) {
            body.set("result", result);
        }
        optional(body, "comment", comment);
        return call(() -> intent(axon.broker().resolveIntent(intentId, body, key)));
    }

    @Override
    public Intent cancelIntent(String intentId, String reason, String key) {
        ObjectNode body = JSON.createObjectNode();
        optional(body, "reason", reason);
        return call(() -> intent(axon.broker().cancelIntent(intentId, body, key)));
    }

    private static void optional(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static void optional(ObjectNode body, String field, Long value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static Intent intent(JsonNode view) {
        return IntentJson.parse(view.toString());
    }

    @Override
    public Event read(long sequence) {
        List<AxonEvent> page = call(() -> axon.history(1, sequence + 1).events());
        if (page.isEmpty() || page.get(0).sequence() != sequence) {
            throw MyelinException.notFound("event", axon.id() + "#" + sequence);
        }
        return toEvent(page.get(0));
    }

    @Override
    public Feed subscribe(long afterSequence) {
        Subscription sub = call(() -> axon.subscribe(afterSequence));
        return new Feed() {
            @Override
            public List<Event> next(Duration wait) throws InterruptedException {
                Optional<AxonEvent> e = call(() -> {
                    try {
                        return sub.poll(wait);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                });
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                return e.map(x -> List.of(toEvent(x))).orElse(List.of());
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

    private static Event toEvent(AxonEvent e) {
        // An origin newer than this client cannot be one a broker relays: read as a system event, it is ignored.
        Origin origin = e.origin() == io.myelin.client.Origin.UNKNOWN ? Origin.SYSTEM_EVENT : Origin.valueOf(e.origin().name());
        return new Event(e.axonId(), e.sequence(), e.eventType(), origin, e.source(), e.payload(), e.timestampMs());
    }

    private static BrokerState fromWire(io.myelin.client.BrokerState s) {
        return new BrokerState(s.version(), s.cursor(), s.turnCursor(), s.turnId(), s.turnTrigger(), s.sessionId(),
                s.context().toString());
    }

    private static io.myelin.client.BrokerState toWire(BrokerState s) {
        try {
            JsonNode context = JSON.readTree(s.context());
            return new io.myelin.client.BrokerState(s.version(), s.cursor(), s.turnCursor(), s.turnId(), s.turnTrigger(),
                    s.sessionId(), context);
        } catch (Exception e) {
            throw MyelinException.invalid("context", "the broker's context is not JSON: " + e.getMessage());
        }
    }

    /** Runs a client call, turning the client's failures into the engine's. */
    private static <T> T call(Supplier<T> c) {
        try {
            return c.get();
        } catch (MyelinApiException e) {
            throw new MyelinException(kind(e.status()), e.field(), e.getMessage(), e);
        } catch (MyelinConnectionException e) {
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, e.getMessage(), e);
        }
    }

    private static ErrorKind kind(int status) {
        for (ErrorKind k : ErrorKind.values()) {
            if (k.status() == status) {
                return k;
            }
        }
        return status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
    }
}
