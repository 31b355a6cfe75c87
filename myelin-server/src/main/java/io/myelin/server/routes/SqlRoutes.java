package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Action;
import io.myelin.axon.AxonIndex;
import io.myelin.concurrent.Deadline;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.Idempotency;
import io.myelin.idempotency.Reply;
import io.myelin.idempotency.RequestKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import io.myelin.axonsql.AxonSql;
import io.myelin.axonsql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Axon SQL (Runloop: {@code src/resources/axons/sql.ts}): {@code POST /v1/axons/{id}/sql/query} and
 * {@code /sql/batch}. Thin: check the axon exists, read the body's typed fields (400 naming the field), call
 * {@link AxonSql}, render. Parameter values are handed over as Jackson decodes them; {@link AxonSql} checks
 * their types and names the offending {@code params[i]}.
 *
 * <p>Retries: a request that may write and carries a retry identity ({@code Idempotency-Key}, else the SDKs'
 * {@code x-request-id}) runs at most once ({@link Idempotency#once}); a retry gets the original's answer, waiting
 * for it if it still runs. Requests that only read skip that bookkeeping: running them again is harmless. Every
 * request is not started at all once its client is gone (HTTP/2) or it waited longer than {@code sql.queue-timeout}.
 */
public final class SqlRoutes {
    private final AxonSql sql;
    private final AxonIndex axons;
    private final Idempotency idempotency;
    private final Duration retryWait;
    private final MemoryBudget answers;

    /** @param answers where results are held until written ({@code limits.response-memory}) */
    public SqlRoutes(AxonSql sql, AxonIndex axons, Idempotency idempotency, MemoryBudget answers) {
        this.sql = sql;
        this.axons = axons;
        this.idempotency = idempotency;
        this.answers = answers;
        // A retry waits as long as its original may still take: queued, then run to the batch limit.
        this.retryWait = sql.limits().queueTimeout().plus(sql.limits().batchTimeout());
    }

    public void register(Router r) {
        r.route("POST", "/v1/axons/{id}/sql/query", Action.SQL_QUERY, this::query);
        r.route("POST", "/v1/axons/{id}/sql/batch", Action.SQL_WRITE, this::batch);
    }

    private void query(Exchange ex) throws Exception {
        String id = ex.path("id");
        axons.require(id);
        JsonNode body = ex.jsonBody();
        String text = Bodies.string(body, "sql", "", true);
        List<Object> params = params(body, "");
        RequestKey key = ex.requestKey(body);
        MemoryBudget.Lease held = answers.lease();
        try {
            if (key != null && sql.mayWrite(text, "sql")) {
                Reply reply = idempotency.once(ex.caller(), id, key, retryWait,
                        () -> render(sql.query(ex.caller(), id, text, params, startBy(ex), held)));
                ex.sendJson(reply.status(), reply.body(), held);
            } else {
                ex.stream(sql.query(ex.caller(), id, text, params, startBy(ex), held), held);
            }
        } finally {
            held.close();
        }
    }

    private void batch(Exchange ex) throws Exception {
        String id = ex.path("id");
        axons.require(id);
        JsonNode body = ex.jsonBody();
        JsonNode statements = body.get("statements");
        if (statements == null || statements.isNull()) {
            throw MyelinException.invalid("statements", "statements is required: an array of 1.."
                    + sql.limits().maxBatchStatements() + " {sql, params?} objects");
        }
        if (!statements.isArray()) {
            throw MyelinException.invalid("statements", "statements must be an array, got " + Bodies.describe(statements));
        }
        if (statements.size() > sql.limits().maxBatchStatements()) {
            throw MyelinException.invalid("statements", "statements has " + statements.size()
                    + " entries; the limit is " + sql.limits().maxBatchStatements());
        }
        List<SqlStatement> list = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            String prefix = "statements[" + i + "].";
            JsonNode st = statements.get(i);
            if (!st.isObject()) {
                throw MyelinException.invalid("statements[" + i + "]", "each statement must be an object {sql, params?},"
                        + " got " + Bodies.describe(st));
            }
            list.add(new SqlStatement(Bodies.string(st, "sql", prefix, true), params(st, prefix)));
        }
        RequestKey key = ex.requestKey(body);
        MemoryBudget.Lease held = answers.lease();
        try {
            if (key != null && mayWrite(list)) {
                Reply reply = idempotency.once(ex.caller(), id, key, retryWait,
                        () -> render(sql.batch(ex.caller(), id, list, startBy(ex), held)));
                ex.sendJson(reply.status(), reply.body(), held);
            } else {
                ex.stream(sql.batch(ex.caller(), id, list, startBy(ex), held), held);
            }
        } finally {
            held.close();
        }
    }

    private boolean mayWrite(List<SqlStatement> statements) {
        for (int i = 0; i < statements.size(); i++) {
            if (sql.mayWrite(statements.get(i).sql(), "statements[" + i + "].sql")) {
                return true;
            }
        }
        return false;
    }

    private Deadline startBy(Exchange ex) {
        return Deadline.in(sql.limits().queueTimeout(), ex.abandoned());
    }

    private static Reply render(Object result) {
        try {
            return new Reply(200, Json.MAPPER.writeValueAsBytes(result));
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot encode the SQL result: " + e.getMessage(), e);
        }
    }


    /** The {@code params} array as plain Java values; absent or null means none. */
    private static List<Object> params(JsonNode obj, String prefix) {
        JsonNode v = obj.get("params");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw MyelinException.invalid(prefix + "params", "params must be an array, got " + Bodies.describe(v));
        }
        List<Object> out = new ArrayList<>(v.size());
        for (JsonNode p : v) {
            out.add(Json.MAPPER.convertValue(p, Object.class));
        }
        return out;
    }
}
