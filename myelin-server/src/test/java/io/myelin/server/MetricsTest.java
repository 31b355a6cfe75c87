package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's queues and budgets are visible in /metrics, so an operator sees back-pressure before it bites. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
    @Test
    void everyQueueAndBudgetHasAGauge() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.publish(s.createAxon("m"), "t", "p");
            String metrics = s.get("/metrics").body();
            for (String gauge : new String[] {"myelin_writer_queue ", "myelin_writer_queue_oldest_seconds ",
                    "myelin_read_queue ", "myelin_fanout_backlog ", "myelin_sql_pending ", "myelin_answers_held_bytes ",
                    "myelin_answers_capacity_bytes ", "myelin_storage_writable ", "myelin_sse_streams ",
                    "myelin_writer_groups_total "}) {
                assertThat(metrics).as(gauge).contains("\n" + gauge);
            }
        }
    }
}
