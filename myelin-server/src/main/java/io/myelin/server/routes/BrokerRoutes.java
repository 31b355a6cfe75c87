package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.auth.Action;
import io.myelin.broker.BrokerEvents;
import io.myelin.broker.BrokerState;
import io.myelin.broker.BrokerStates;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import io.myelin.stream.EventLog;
import java.util.Iterator;
import java.util.Set;

/**
 * Myelin's extension for brokers that run beside their agent ({@code myelin broker}): the durable state a broker
 * keeps per axon, and the system events only a broker appends. Not part of Runloop's API.
 *
 * <ul>
 *   <li>{@code GET /v1/axons/{id}/broker}: the state, {@code {version, cursor, turn_cursor, turn_id, turn_trigger,
 *       session_id, context}} (version 0 and cursors 0 when no broker ever saved one);</li>
 *   <li>{@code PUT /v1/axons/{id}/broker}: saves a state over {@code version} (the version it was read at) and
 *       answers the stored state, one version higher; 409 naming {@code version} when another broker saved
 *       meanwhile. Retries are safe under an {@code Idempotency-Key};</li>
 *   <li>{@code POST /v1/axons/{id}/broker/events} {@code {event_type, payload}}: appends a {@code SYSTEM_EVENT} with
 *       source {@code broker}; {@code event_type} is one of {@link BrokerEvents#TYPES}. Answers like publish,
 *       {@code {sequence, timestamp_ms}}, at most once per {@code Idempotency-Key}.</li>
 * </ul>
 *
 * <p>All three need {@link Action#BROKER_RUN} on the axon.
 */
public final class BrokerRoutes {
    private static final Set<String> STATE_FIELDS = Set.of("version", "cursor", "turn_cursor", "turn_id",
            "turn_trigger", "session_id", "context");
    private static final Set<String> EVENT_FIELDS = Set.of("event_type", "payload");

    private final BrokerStates states;
    private final EventLog log;

    public BrokerRoutes(BrokerStates states, EventLog log) {
        this.states = states;
        this.log = log;
    }

    public void register(Router r) {
        r.route("GET", "/v1/axons/{id}/broker", Action.BROKER_RUN, this::get);
        r.route("PUT", "/v1/axons/{id}/broker", Action.BROKER_RUN, this::put);
        r.route("POST", "/v1/axons/{id}/broker/events", Action.BROKER_RUN, this::event);
    }

    private void get(Exchange ex) throws Exception {
        ex.ok(render(states.load(ex.caller(), ex.path("id"))));
    }

    private void put(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        onlyFields(body, STATE_FIELDS);
        JsonNode context = body.get("context");
        if (context == null || !context.isObject()) {
            throw MyelinException.invalid("context", "context is required and must be an object, got "
                    + (context == null ? "nothing" : Bodies.describe(context)));
        }
        String turnId = Bodies.string(body, "turn_id", "", false);
        long trigger = count(body, "turn_trigger", false);
        if ((turnId == null) != (trigger == 0)) {
            throw MyelinException.invalid("turn_trigger", "turn_id and turn_trigger (>= 1) are given together, or neither");
        }
        BrokerState next = new BrokerState(count(body, "version", true), count(body, "cursor", true),
                count(body, "turn_cursor", true), turnId, trigger, Bodies.string(body, "session_id", "", false),
                Json.MAPPER.writeValueAsString(context));
        ex.ok(render(states.save(ex.caller(), ex.path("id"), next, ex.requestKey(body))));
    }

    private void event(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        onlyFields(body, EVENT_FIELDS);
        String type = Bodies.string(body, "event_type", "", true);
        if (!BrokerEvents.TYPES.contains(type)) {
            throw MyelinException.invalid("event_type", "a broker appends only " + String.join(", ", new java.util.TreeSet<>(BrokerEvents.TYPES))
                    + "; got '" + type + "'");
        }
        ex.ok(log.publishSystem(ex.caller(), ex.path("id"), type, BrokerEvents.SOURCE,
                Bodies.string(body, "payload", "", true), ex.requestKey(body)));
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        if (!body.isObject()) {
            throw MyelinException.invalid("body", "the body must be a JSON object, got " + Bodies.describe(body));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw MyelinException.invalid(f, "unknown field " + f + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static long count(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw MyelinException.invalid(field, field + " is required");
            }
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw MyelinException.invalid(field, field + " must be an integer >= 0, got " + v);
        }
        return v.asLong();
    }

    private static ObjectNode render(BrokerState s) throws Exception {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("version", s.version()).put("cursor", s.cursor()).put("turn_cursor", s.turnCursor())
                .put("turn_id", s.turnId()).put("turn_trigger", s.turnTrigger()).put("session_id", s.sessionId());
        o.set("context", Json.MAPPER.readTree(s.context()));
        return o;
    }
}
