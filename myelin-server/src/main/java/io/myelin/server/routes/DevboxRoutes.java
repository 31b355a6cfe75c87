package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Action;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.devbox.DevboxFilter;
import io.myelin.devbox.DevboxStatus;
import io.myelin.devbox.Devboxes;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The devbox API (Runloop: {@code src/resources/devboxes/devboxes.ts}), the part that hosts agents: create (also
 * {@code create_and_await_running}, what the SDK's {@code sdk.devbox.create} calls), retrieve, list,
 * {@code wait_for_status}, suspend, resume, keep_alive, shutdown. Thin: read the request ({@link DevboxRequests}),
 * call {@link Devboxes}, render ({@link DevboxViews}).
 *
 * <p>Retries: a create with a retry identity ({@code Idempotency-Key}, else the SDKs' {@code x-request-id}) creates
 * at most one devbox; a repeat answers the devbox as the first request answered it. Suspend, resume, keep-alive and
 * shutdown are idempotent by nature: a repeat finds its goal reached (or underway) and answers the devbox as it is.
 */
public final class DevboxRoutes {
    private final Devboxes devboxes;
    private final Duration waitTimeout;
    private final MemoryBudget answers;

    /**
     * @param waitTimeout longest {@code wait_for_status} and {@code create_and_await_running} hold a request
     * @param answers     where list pages are held until written
     */
    public DevboxRoutes(Devboxes devboxes, Duration waitTimeout, MemoryBudget answers) {
        this.devboxes = devboxes;
        this.waitTimeout = waitTimeout;
        this.answers = answers;
    }

    public void register(Router r) {
        r.route("POST", "/v1/devboxes", Action.DEVBOX_CREATE, this::create);
        r.route("POST", "/v1/devboxes/create_and_await_running", Action.DEVBOX_CREATE, this::createAndAwaitRunning);
        r.route("GET", "/v1/devboxes", Action.DEVBOX_LIST, this::list);
        r.route("GET", "/v1/devboxes/{id}", Action.DEVBOX_READ,
                ex -> ex.ok(DevboxViews.view(devboxes.get(ex.caller(), ex.path("id")))));
        r.route("POST", "/v1/devboxes/{id}/wait_for_status", Action.DEVBOX_READ, this::waitForStatus);
        r.route("POST", "/v1/devboxes/{id}/suspend", Action.DEVBOX_CONTROL,
                ex -> answer(ex, devboxes.suspend(ex.caller(), ex.path("id"))));
        r.route("POST", "/v1/devboxes/{id}/resume", Action.DEVBOX_CONTROL,
                ex -> answer(ex, devboxes.resume(ex.caller(), ex.path("id"))));
        r.route("POST", "/v1/devboxes/{id}/keep_alive", Action.DEVBOX_CONTROL,
                ex -> answer(ex, devboxes.keepAlive(ex.caller(), ex.path("id"))));
        r.route("POST", "/v1/devboxes/{id}/shutdown", Action.DEVBOX_CONTROL, this::shutdown);
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        ex.ok(DevboxViews.view(devboxes.create(ex.caller(), DevboxRequests.spec(body), ex.requestKey(body))));
    }

    /** Creates, then holds the request until the devbox left provisioning and initializing (or the wait is up). */
    private void createAndAwaitRunning(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        String id = devboxes.create(ex.caller(), DevboxRequests.spec(body), ex.requestKey(body)).id();
        ex.ok(DevboxViews.view(devboxes.awaitStarted(ex.caller(), id, waitTimeout)));
    }

    private void list(Exchange ex) throws Exception {
        int limit = ex.intQuery("limit", 20, 1, devboxes.maxListLimit());
        String status = ex.query("status");
        DevboxStatus st = null;
        if (status != null && !status.isEmpty()) {
            st = DevboxStatus.fromWire(status);
            if (st == null && !DevboxStatus.RUNLOOP_STATUSES.contains(status)) {
                throw MyelinException.invalid("status", "status must be one of "
                        + String.join(", ", DevboxStatus.RUNLOOP_STATUSES) + "; got '" + status + "'");
            }
        }
        String after = ex.query("starting_after");
        DevboxFilter filter = new DevboxFilter(st, after == null || after.isEmpty() ? null : after, limit,
                ex.boolQuery("include_total_count", true));
        MemoryBudget.Lease held = answers.lease();
        try {
            if (status != null && !status.isEmpty() && st == null) {
                // queued and scheduled are Runloop statuses no Myelin devbox is ever in
                ex.ok(Json.MAPPER.createObjectNode().put("has_more", false).put("total_count", 0)
                        .set("devboxes", Json.MAPPER.createArrayNode()));
                return;
            }
            ex.stream(DevboxViews.page(devboxes.list(ex.caller(), filter, held)), held);
        } finally {
            held.close();
        }
    }

    private void waitForStatus(Exchange ex) throws Exception {
        JsonNode body = ex.jsonBody();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("statuses")) {
                // As create does: a field Myelin would ignore is refused, never silently dropped.
                throw new MyelinException(ErrorKind.UNPROCESSABLE, f, f
                        + ": unknown field: wait_for_status takes only statuses");
            }
        }
        JsonNode list = body.get("statuses");
        if (list == null || list.isNull()) {
            throw MyelinException.invalid("statuses", "statuses is required: the statuses to wait for, e.g. [\"running\"]");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw MyelinException.invalid("statuses", "statuses must be a non-empty array of statuses, got "
                    + (list.isArray() ? "an empty array" : Bodies.describe(list)));
        }
        Set<DevboxStatus> wanted = EnumSet.noneOf(DevboxStatus.class);
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String name = s.isTextual() ? s.textValue() : null;
            if (name == null || !DevboxStatus.RUNLOOP_STATUSES.contains(name)) {
                throw MyelinException.invalid("statuses[" + i + "]", "each status must be one of "
                        + String.join(", ", DevboxStatus.RUNLOOP_STATUSES) + "; got " + (name == null ? Bodies.describe(s) : "'" + name + "'"));
            }
            DevboxStatus st = DevboxStatus.fromWire(name);
            if (st != null) {
                wanted.add(st);
            }
        }
        ex.ok(DevboxViews.view(devboxes.awaitStatus(ex.caller(), ex.path("id"), wanted, waitTimeout)));
    }

    /** {@code force} is accepted and changes nothing: Myelin has no snapshots in progress to force past. */
    private void shutdown(Exchange ex) throws Exception {
        ex.boolQuery("force", false);
        answer(ex, devboxes.shutdown(ex.caller(), ex.path("id")));
    }

    private static void answer(Exchange ex, io.myelin.devbox.Devbox d) throws java.io.IOException {
        ex.ok(DevboxViews.view(d));
    }
}
