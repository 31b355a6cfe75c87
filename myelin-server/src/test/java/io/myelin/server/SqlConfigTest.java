package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.axonsql.SqlLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sql.* settings resolve like every other setting and reach {@link SqlLimits}. */
class SqlConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheDocumentedLimits() {
        SqlLimits sql = new ConfigLoader().build().sql();
        assertThat(sql.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sql.maxSqlBytes()).isEqualTo(100 * 1024);
        assertThat(sql.maxParams()).isEqualTo(100);
        assertThat(sql.maxBatchStatements()).isEqualTo(100);
        assertThat(sql.maxValueBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(sql.maxDatabaseBytes()).isEqualTo(1024L * 1024 * 1024);
        assertThat(sql.maxRows()).isEqualTo(1000);
        assertThat(sql.maxOpenDatabases()).isEqualTo(1000);
        assertThat(sql.maxLikePatternBytes()).isEqualTo(1000);
        assertThat(sql.maxExpressionDepth()).isEqualTo(1000);
        assertThat(sql.maxCompoundSelect()).isEqualTo(500);
        assertThat(sql.maxTriggerDepth()).isEqualTo(1000);
        assertThat(sql.threadStackBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void yamlEnvAndFlagsSetSqlLimits() throws Exception {
        Path yaml = dir.resolve("myelin.yaml");
        Files.writeString(yaml, """
                sql:
                  statement-timeout: 250ms
                  max_rows: 50
                """);
        SqlLimits sql = new ConfigLoader().yaml(yaml)
                .env(Map.of("MYELIN_SQL_MAX_DATABASE_BYTES", "5000000000"))
                .flag("sql.threads", 3)
                .build().sql();
        assertThat(sql.statementTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(sql.maxRows()).isEqualTo(50);
        assertThat(sql.maxDatabaseBytes()).as("beyond int range").isEqualTo(5_000_000_000L);
        assertThat(sql.threads()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.max-rows", "0").build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.max-rows");
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.statement-timeout", "soon").build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.statement-timeout");
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.max-database-bytes", "many").build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.max-database-bytes");
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.max-database-bytes", "1000").build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.max-database-bytes");
    }

    @Test
    void complexityLimitsAndTheStackTheyNeedAreSettings() {
        SqlLimits sql = new ConfigLoader().flag("sql.max-like-pattern-bytes", 200).flag("sql.max-expression-depth", 100)
                .flag("sql.max-compound-select", 50).flag("sql.max-trigger-depth", 10)
                .env(Map.of("MYELIN_SQL_THREAD_STACK_SIZE", "8388608")).build().sql();
        assertThat(sql.maxLikePatternBytes()).isEqualTo(200);
        assertThat(sql.maxExpressionDepth()).isEqualTo(100);
        assertThat(sql.maxCompoundSelect()).isEqualTo(50);
        assertThat(sql.maxTriggerDepth()).isEqualTo(10);
        assertThat(sql.threadStackBytes()).isEqualTo(8L << 20);
        // SQLite would silently cap a limit above its own maximum.
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.max-expression-depth", 5000).build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.max-expression-depth")
                .hasMessageContaining("1000");
        // A stack that the deepest statement at the default limits could overflow is refused at start.
        assertThatThrownBy(() -> new ConfigLoader().flag("sql.thread-stack-size", 1024 * 1024).build())
                .isInstanceOf(MyelinException.class).hasMessageContaining("sql.thread-stack-size")
                .hasMessageContaining("lower the limits");
    }
}
