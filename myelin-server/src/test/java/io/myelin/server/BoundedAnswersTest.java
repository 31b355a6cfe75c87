package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every answer is bounded by its encoded size: history and list pages end early with has_more, never grow past it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithMyelinServer({"limits.max-page-bytes=" + BoundedAnswersTest.PAGE_BYTES})
class BoundedAnswersTest {
    static final int PAGE_BYTES = 64 * 1024;
    @InjectServer
    static TestServer s;

    @Test
    void historyPagesStopAtTheirEncodedSize() {
        String axon = s.createAxon("big-history");
        // 4,000 control characters: 4 KB stored, 24 KB once escaped; two fit a 64 KiB page, three do not.
        String payload = "\u0001".repeat(4000);
        for (int i = 0; i < 7; i++) {
            assertThat(s.publish(axon, "e" + i, payload).status()).isEqualTo(200);
        }
        List<Long> seen = new ArrayList<>();
        String cursor = "";
        while (true) {
            TestServer.Reply page = s.get("/v1/axons/" + axon + "/events?limit=100" + cursor);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().length()).as("page size on the wire").isLessThanOrEqualTo(PAGE_BYTES);
            JsonNode events = page.json().get("events");
            assertThat(events.size()).isBetween(1, 2);
            for (JsonNode e : events) {
                assertThat(e.get("payload").asText()).isEqualTo(payload);
                seen.add(e.get("sequence").asLong());
            }
            if (!page.json().get("has_more").asBoolean()) {
                break;
            }
            cursor = "&starting_after=" + seen.get(seen.size() - 1);
        }
        assertThat(seen).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void listPagesStopAtTheirEncodedSize() {
        Map<String, String> metadata = new HashMap<>();
        for (int k = 0; k < 60; k++) {
            metadata.put("key-" + k, "\u0002".repeat(200)); // 1.2 KB each once escaped: ~72 KB per axon
        }
        metadata.put("suite", "bounded-list");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(s.post("/v1/axons", Map.of("name", "big-" + i, "metadata", metadata)).json().get("id").asText());
        }
        List<String> listed = new ArrayList<>();
        String cursor = "";
        while (true) {
            TestServer.Reply page = s.get("/v1/axons?limit=50&metadata[suite]=bounded-list" + cursor);
            assertThat(page.status()).isEqualTo(200);
            JsonNode axons = page.json().get("axons");
            assertThat(axons.size()).as("one axon is over the page size: pages hold exactly one").isEqualTo(1);
            axons.forEach(a -> listed.add(a.get("id").asText()));
            if (!page.json().get("has_more").asBoolean()) {
                break;
            }
            cursor = "&starting_after=" + listed.get(listed.size() - 1);
        }
        assertThat(listed).containsExactlyElementsOf(created);
    }

    @Test
    void theAnswerBudgetMustHoldTheLargestAnswer() {
        assertThatThrownBy(() -> new ConfigLoader().flag("limits.response-memory", 1024).build())
                .isInstanceOfSatisfying(MyelinException.class,
                        e -> assertThat(e.field()).isEqualTo("limits.response-memory"));
    }

    @Test
    void answersHeldAreGivenBackOnceWritten() {
        String axon = s.createAxon("held");
        s.post("/v1/axons/" + axon + "/sql/query",
                Map.of("sql", "SELECT printf('%.*c', 100000, 'x') FROM (SELECT 1 UNION ALL SELECT 2)"));
        s.get("/v1/axons/" + axon + "/events?limit=10");
        assertThat(s.get("/metrics").body()).contains("myelin_answers_held_bytes 0.0");
    }
}
