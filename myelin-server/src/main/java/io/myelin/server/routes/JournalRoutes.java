package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.auth.Action;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.journal.JournalJson;
import io.myelin.journal.JournalPage;
import io.myelin.journal.Journals;
import io.myelin.journal.Recorded;
import io.myelin.journal.StepStatus;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The step journal API (a Myelin extension beside Runloop's, under {@code /v1}). Thin: read the request, call
 * {@link Journals}, render {@link JournalJson}.
 *
 * <pre>
 * PUT    /v1/axons/{id}/journal/{step}           {result, status?}         → 201 JournalStep + created: true
 *                                                                            | 200 the stored one + created: false
 * GET    /v1/axons/{id}/journal/{step}                                     → 200 JournalStep with chunks | 404
 * GET    /v1/axons/{id}/journal?prefix&amp;limit&amp;starting_after         → 200 {steps, has_more}
 * POST   /v1/axons/{id}/journal/{step}/chunks    {chunks, restart?, attempt?} → 200 JournalStep (streaming)
 * POST   /v1/axons/{id}/journal/{step}/complete  {result?, attempt?}       → 201 | 200 as PUT
 * DELETE /v1/axons/{id}/journal?prefix=P                                   → 200 {deleted}
 * DELETE /v1/axons/{id}/journal/{step}                                     → 200 {deleted: 1} | 404
 * </pre>
 *
 * <p>The step is the path segment, percent-decoded strictly by the router. Writes with a retry identity
 * ({@code Idempotency-Key}, else {@code x-request-id}) apply at most once. A 409 (appending to a sealed step, a
 * superseded attempt) carries the step as it is beside the error ({@code {"error": …, "step": JournalStep}}) and
 * {@code x-should-retry: false}.
 */
public final class JournalRoutes {
    private static final String BASE = "/v1/axons/{id}/journal";

    private final Journals journals;
    private final MemoryBudget answers;

    /** @param answers where list pages are held until written */
    public JournalRoutes(Journals journals, MemoryBudget answers) {
        this.journals = journals;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("GET", BASE, Action.JOURNAL_READ, this::list);
        r.route("DELETE", BASE, Action.JOURNAL_WRITE, this::forget);
        r.route("PUT", BASE + "/{step}", Action.JOURNAL_WRITE, this::record);
        r.route("GET", BASE + "/{step}", Action.JOURNAL_READ, this::get);
        r.route("DELETE", BASE + "/{step}", Action.JOURNAL_WRITE, this::forgetStep);
        r.route("POST", BASE + "/{step}/chunks", Action.JOURNAL_WRITE, this::append);
        r.route("POST", BASE + "/{step}/complete", Action.JOURNAL_WRITE, this::complete);
    }

    private void record(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a journal record", Set.of("result", "status"));
        JsonNode result = body.get("result");
        if (result == null) {
            throw MyelinException.invalid("result", "result is required: any JSON value, null included");
        }
        String status = Bodies.string(body, "status", "", false);
        Recorded r = journals.record(ex.caller(), ex.path("id"), ex.path("step"),
                status == null ? StepStatus.COMPLETED : StepStatus.parseRecordable("status", status), result,
                ex.requestKey(body));
        ex.send(r.created() ? 201 : 200, JournalJson.view(r));
    }

    private void get(Exchange ex) throws Exception {
        ex.ok(JournalJson.view(journals.get(ex.path("id"), ex.path("step"))));
    }

    private void list(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 100, 1, journals.limits().maxListLimit());
        String after = ex.query("starting_after");
        String prefix = ex.query("prefix");
        MemoryBudget.Lease held = answers.lease();
        try {
            JournalPage page = journals.list(ex.path("id"), prefix == null ? "" : prefix,
                    after == null || after.isEmpty() ? null : after, limit, held);
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode steps = out.putArray("steps");
            page.steps().forEach(s -> steps.add(JournalJson.view(s)));
            out.put("has_more", page.hasMore());
            ex.stream(out, held);
        } finally {
            held.close();
        }
    }

    private void append(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a chunks append", Set.of("chunks", "restart", "attempt"));
        JsonNode chunks = body.get("chunks");
        if (chunks == null || !chunks.isArray()) {
            throw MyelinException.invalid("chunks", "chunks must be an array of JSON values, got "
                    + (chunks == null ? "none" : Bodies.describe(chunks)));
        }
        List<JsonNode> list = new ArrayList<>(chunks.size());
        chunks.forEach(list::add);
        JsonNode restart = body.get("restart");
        if (restart != null && !restart.isNull() && !restart.isBoolean()) {
            throw MyelinException.invalid("restart", "restart must be true or false, got " + Bodies.describe(restart));
        }
        ex.ok(JournalJson.view(journals.append(ex.caller(), ex.path("id"), ex.path("step"), list,
                restart != null && restart.asBoolean(), attempt(body), ex.requestKey(body))));
    }

    private void complete(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        Bodies.onlyFields(body, "a completion", Set.of("result", "attempt"));
        JsonNode result = body.get("result");
        Recorded r = journals.complete(ex.caller(), ex.path("id"), ex.path("step"),
                result == null || result instanceof NullNode ? null : result, attempt(body), ex.requestKey(body));
        ex.send(r.created() ? 201 : 200, JournalJson.view(r));
    }

    private void forget(Exchange ex) throws Exception {
        String prefix = ex.query("prefix");
        if (prefix == null) {
            throw MyelinException.invalid("prefix", "prefix is required: the steps whose names start with it are"
                    + " forgotten (prefix= forgets every step)");
        }
        // The prefix is in the query, which the fingerprint does not cover: it goes in as the body.
        int n = journals.forget(ex.caller(), ex.path("id"), prefix,
                ex.requestKey(Json.MAPPER.createObjectNode().put("prefix", prefix)));
        ex.ok(Json.MAPPER.createObjectNode().put("deleted", n));
    }

    private void forgetStep(Exchange ex) throws Exception {
        journals.forgetStep(ex.caller(), ex.path("id"), ex.path("step"), ex.requestKey(Json.MAPPER.createObjectNode()));
        ex.ok(Json.MAPPER.createObjectNode().put("deleted", 1));
    }

    private static Integer attempt(JsonNode body) {
        Long attempt = Bodies.wholeNumber(body, "attempt", "");
        if (attempt != null && (attempt < 1 || attempt > Integer.MAX_VALUE)) {
            throw MyelinException.invalid("attempt", "attempt must be between 1 and " + Integer.MAX_VALUE
                    + "; got " + attempt);
        }
        return attempt == null ? null : attempt.intValue();
    }
}
