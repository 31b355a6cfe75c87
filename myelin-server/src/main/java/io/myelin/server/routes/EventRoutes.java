package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Action;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Router;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventLog;
import io.myelin.stream.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Publish (single, batch) and history (Runloop: {@code axons.publish}, {@code axons.events.list}). */
public final class EventRoutes {
    private final EventLog log;
    private final int maxPage;
    private final MemoryBudget answers;

    /**
     * @param maxPage largest {@code limit} a history request may ask for ({@code limits.max-list-limit})
     * @param answers where history pages are held until written
     */
    public EventRoutes(EventLog log, int maxPage, MemoryBudget answers) {
        this.log = log;
        this.maxPage = maxPage;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("POST", "/v1/axons/{id}/publish", Action.EVENT_PUBLISH, this::publish);
        r.route("POST", "/v1/axons/{id}/publish/batch", Action.EVENT_PUBLISH, this::publishBatch);
        r.route("GET", "/v1/axons/{id}/events", Action.EVENT_READ, this::history);
    }

    private void publish(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        EventDraft draft = draft(body, "");
        ex.ok(log.publish(ex.caller(), ex.path("id"), draft, ex.requestKey(body)));
    }

    private void publishBatch(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        JsonNode events = body.get("events");
        if (events == null || events.isNull()) {
            throw MyelinException.invalid("events", "events is required: an array of 1.." + log.limits().maxBatchEvents() + " events");
        }
        if (!events.isArray()) {
            throw MyelinException.invalid("events", "events must be an array, got " + Bodies.describe(events));
        }
        if (events.size() > log.limits().maxBatchEvents()) {
            throw MyelinException.tooLarge("events", "a batch holds at most " + log.limits().maxBatchEvents()
                    + " events, got " + events.size());
        }
        List<EventDraft> drafts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            String prefix = "events[" + i + "].";
            JsonNode e = events.get(i);
            if (!e.isObject()) {
                throw MyelinException.invalid("events[" + i + "]", "each event must be an object, got " + Bodies.describe(e));
            }
            drafts.add(draft(e, prefix));
        }
        ex.ok(Map.of("results", log.publishBatch(ex.caller(), ex.path("id"), drafts, ex.requestKey(body))));
    }

    private void history(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 20, 1, maxPage);
        Long startingAfter = ex.longQuery("starting_after");
        MemoryBudget.Lease held = answers.lease();
        try {
            ex.stream(log.history(ex.caller(), ex.path("id"), startingAfter, limit,
                    ex.boolQuery("include_total_count", true), held), held);
        } finally {
            held.close();
        }
    }

    private static EventDraft draft(JsonNode body, String prefix) {
        String origin = Bodies.string(body, "origin", prefix, true);
        return new EventDraft(Bodies.string(body, "event_type", prefix, true), origin(origin, prefix),
                Bodies.string(body, "source", prefix, true), Bodies.string(body, "payload", prefix, true));
    }

    private static Origin origin(String value, String prefix) {
        try {
            return Origin.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw MyelinException.invalid(prefix + "origin",
                    "origin must be one of EXTERNAL_EVENT, AGENT_EVENT, USER_EVENT; got '" + value + "'");
        }
    }
}
