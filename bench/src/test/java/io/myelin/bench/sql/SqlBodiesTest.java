package io.myelin.bench.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pointSelectBindsTheId() throws Exception {
        JsonNode body = JSON.readTree(SqlBodies.pointSelect(42));
        assertThat(body.path("sql").asText()).isEqualTo(SqlBodies.POINT_SELECT);
        assertThat(body.path("params").toString()).isEqualTo("[42]");
    }

    @Test
    void insertBatchHoldsOneStatementPerRow() throws Exception {
        JsonNode statements = JSON.readTree(SqlBodies.insertBatch(100, 8)).path("statements");
        assertThat(statements).hasSize(100);
        assertThat(statements.get(99).path("sql").asText()).isEqualTo(SqlBodies.INSERT);
        assertThat(statements.get(99).path("params").get(0).asText()).isEqualTo("vvvvvvvv");
    }

    @Test
    void tableWithRowsCreatesThenFillsFromZero() throws Exception {
        JsonNode statements = JSON.readTree(SqlBodies.tableWithRows(10)).path("statements");
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).path("sql").asText()).isEqualTo(SqlBodies.CREATE_TABLE);
        assertThat(statements.get(1).path("params").toString()).isEqualTo("[0,10]");
    }

    @Test
    void fillRejectsAnEmptyRange() {
        // The recursive CTE always emits its seed row, so an empty range would still insert one.
        assertThatThrownBy(() -> SqlBodies.fill(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
