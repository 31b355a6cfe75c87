package io.myelin.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Action;
import io.myelin.axon.AxonIndex;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Bodies;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Json;
import io.myelin.server.http.Router;
import io.myelin.sql.AxonSql;
import io.myelin.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Axon SQL (Runloop: {@code src/resources/axons/sql.ts}): {@code POST /v1/axons/{id}/sql/query} and
 * {@code /sql/batch}. Thin: check the axon exists, read the body's typed fields (400 naming the field), call
 * {@link AxonSql}, render. Parameter values are handed over as Jackson decodes them; {@link AxonSql} checks
 * their types and names the offending {@code params[i]}.
 */
public final class SqlRoutes {
    private final AxonSql sql;
    private final AxonIndex axons;

    public SqlRoutes(AxonSql sql, AxonIndex axons) {
        this.sql = sql;
        this.axons = axons;
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
        ex.ok(sql.query(id, text, params(body, "")));
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
        ex.ok(sql.batch(id, list));
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
