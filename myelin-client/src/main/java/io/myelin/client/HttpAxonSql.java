package io.myelin.client;

import java.util.List;
import java.util.Objects;

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
        return transport.write("POST", axonPath + "/sql/query", WireTypes.Statement.of(SqlStatement.of(sql, params)),
                null, SqlResult.class);
    }

    @Override
    public SqlBatchResult batch(List<SqlStatement> statements) {
        return batch(statements, null);
    }

    @Override
    public SqlBatchResult batch(List<SqlStatement> statements, String idempotencyKey) {
        Objects.requireNonNull(statements, "statements");
        WireTypes.Batch body = new WireTypes.Batch(statements.stream().map(WireTypes.Statement::of).toList());
        return transport.write("POST", axonPath + "/sql/batch", body, idempotencyKey, SqlBatchResult.class);
    }
}
