package io.myelin.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** {@link AxonSql} over HTTP; stateless, hence thread-safe. */
final class HttpAxonSql implements AxonSql {
    private final Transport transport;
    private final String axonPath;

    HttpAxonSql(Transport transport, String axonPath) {
        this.transport = transport;
        this.axonPath = axonPath;
    }

    @Override
    public SqlResult query(String sql, Object... params) {
        return Wire.sqlResult(transport.post(axonPath + "/sql/query", Wire.statement(SqlStatement.of(sql, params))));
    }

    @Override
    public SqlBatchResult batch(List<SqlStatement> statements) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("statements");
        statements.forEach(s -> list.add(Wire.statement(s)));
        return Wire.sqlBatch(transport.post(axonPath + "/sql/batch", body));
    }
}
