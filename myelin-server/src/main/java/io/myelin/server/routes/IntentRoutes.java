package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.auth.Action;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentFilter;
import io.myelin.intent.IntentJson;
import io.myelin.intent.IntentPage;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.IntentStatus;
import io.myelin.intent.Intents;
import io.myelin.intent.OnDeadline;
import io.myelin.intent.Outcome;
import io.myelin.intent.WaitingFor;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import java.time.Duration;
import java.util.Set;

/**
 * The intents API (a Myelin extension beside Runloop's, under {@code /v1}): create on an axon, read and long-poll,
 * list (the inbox), resolve and cancel. Thin: read the request, call {@link Intents}, render {@link IntentJson}.
 *
 * <pre>
 * POST /v1/axons/{id}/intents            {kind, waiting_for, title?, payload?, assignee?, fire_at_ms?, deadline_ms?,
 *                                          remind_every_ms?, on_deadline?, escalate_to?}        → 201 IntentView
 * GET  /v1/intents/{intent_id}[?wait_ms=N]                                                     → 200 IntentView
 * GET  /v1/intents?axon_id&amp;status&amp;waiting_for&amp;assignee&amp;kind&amp;limit&amp;starting_after&amp;include_total_count
 *                                                                      → 200 {intents, has_more, total_count}
 * POST /v1/intents/{intent_id}/resolve   {outcome, result?, comment?}                          → 200 IntentView
 * POST /v1/intents/{intent_id}/cancel    {reason?}                                             → 200 IntentView
 * </pre>
 *
 * <p>Retries: create, resolve and cancel with a retry identity ({@code Idempotency-Key}, else the SDKs'
 * {@code x-request-id}) apply at most once; a repeat answers what the first answered. A resolve or cancel of an
 * intent no longer waiting is 409 with the intent beside the error ({@code {"error": …, "intent": IntentView}}).
 */
public final class IntentRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("kind", "waiting_for", "title", "payload", "assignee",
            "fire_at_ms", "deadline_ms", "remind_every_ms", "on_deadline", "escalate_to");

    private final Intents intents;
    private final MemoryBudget answers;

    /** @param answers where list pages are held until written */
    public IntentRoutes(Intents intents, MemoryBudget answers) {
        this.intents = intents;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("POST", "/v1/axons/{id}/intents", Action.INTENT_CREATE, this::create);
        r.route("GET", "/v1/intents", Action.INTENT_LIST, this::list);
        r.route("GET", "/v1/intents/{intent_id}", Action.INTENT_READ, this::get);
        r.route("POST", "/v1/intents/{intent_id}/resolve", Action.INTENT_RESOLVE, this::resolve);
        r.route("POST", "/v1/intents/{intent_id}/cancel", Action.INTENT_RESOLVE, this::cancel);
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "an intent", CREATE_FIELDS);
        String kind = Bodies.string(body, "kind", "", true);
        String waitingFor = Bodies.string(body, "waiting_for", "", true);
        String onDeadline = Bodies.string(body, "on_deadline", "", false);
        IntentRequest request = new IntentRequest(kind, WaitingFor.parse("waiting_for", waitingFor), Bodies.string(body, "title", "", false),
                json(body, "payload"), Bodies.string(body, "assignee", "", false),
                Bodies.wholeNumber(body, "fire_at_ms", ""), Bodies.wholeNumber(body, "deadline_ms", ""),
                Bodies.wholeNumber(body, "remind_every_ms", ""),
                onDeadline == null ? null : OnDeadline.parse("on_deadline", onDeadline),
                Bodies.string(body, "escalate_to", "", false));
        Intent created = intents.create(ex.caller(), ex.path("id"), request, ex.requestKey(body));
        ex.send(201, IntentJson.view(created));
    }

    private void get(Exchange ex) throws Exception {
        int waitMs = ex.intQuery("wait_ms", 0, 0, (int) intents.limits().maxWait().toMillis());
        String id = ex.path("intent_id");
        Intent intent = waitMs == 0 ? intents.get(ex.caller(), id)
                : intents.await(ex.caller(), id, Duration.ofMillis(waitMs));
        ex.ok(IntentJson.view(intent));
    }

    private void list(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 50, 1, intents.limits().maxListLimit());
        String status = blankToNull(ex.query("status"));
        String waitingFor = blankToNull(ex.query("waiting_for"));
        IntentFilter filter = new IntentFilter(blankToNull(ex.query("axon_id")),
                status == null ? null : IntentStatus.parse("status", status),
                waitingFor == null ? null : WaitingFor.parse("waiting_for", waitingFor),
                blankToNull(ex.query("assignee")), blankToNull(ex.query("kind")),
                blankToNull(ex.query("starting_after")), limit, ex.boolQuery("include_total_count", false));
        MemoryBudget.Lease held = answers.lease();
        try {
            IntentPage page = intents.list(ex.caller(), filter, held);
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("intents");
            page.intents().forEach(i -> list.add(IntentJson.view(i)));
            out.put("has_more", page.hasMore());
            out.put("total_count", page.totalCount());
            ex.stream(out, held);
        } finally {
            held.close();
        }
    }

    private void resolve(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a resolution", Set.of("outcome", "result", "comment"));
        Outcome outcome = Outcome.parseResolvable(Bodies.string(body, "outcome", "", true));
        ex.ok(IntentJson.view(intents.resolve(ex.caller(), ex.path("intent_id"), outcome, json(body, "result"),
                Bodies.string(body, "comment", "", false), ex.requestKey(body))));
    }

    private void cancel(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a cancel", Set.of("reason"));
        ex.ok(IntentJson.view(intents.cancel(ex.caller(), ex.path("intent_id"),
                Bodies.string(body, "reason", "", false), ex.requestKey(body))));
    }

    /** Any JSON value; null when absent or JSON null. */
    private static JsonNode json(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
