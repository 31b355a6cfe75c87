package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class AxonApiTest {
    @InjectServer
    static TestServer s;

    @Test
    void createRetrieveUpdateDelete() {
        var created = s.post("/v1/axons", Map.of("name", "crud", "metadata", Map.of("team", "infra")));
        assertThat(created.status()).isEqualTo(200);
        JsonNode axon = created.json();
        String id = axon.get("id").asText();
        assertThat(id).matches("axn_[a-z2-7]{26}");
        assertThat(axon.get("name").asText()).isEqualTo("crud");
        assertThat(axon.get("metadata").get("team").asText()).isEqualTo("infra");
        assertThat(axon.get("created_at_ms").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

        assertThat(s.get("/v1/axons/" + id).json()).isEqualTo(axon);

        // omitted metadata: unchanged
        assertThat(s.post("/v1/axons/" + id, Map.of()).json().get("metadata").get("team").asText()).isEqualTo("infra");
        // null metadata: unchanged
        assertThat(s.post("/v1/axons/" + id, "{\"metadata\":null}").json().get("metadata").size()).isEqualTo(1);
        // replace
        JsonNode replaced = s.post("/v1/axons/" + id, Map.of("metadata", Map.of("a", "1", "b", "2"))).json();
        assertThat(replaced.get("metadata").size()).isEqualTo(2);
        assertThat(replaced.get("metadata").has("team")).isFalse();
        // {} clears
        assertThat(s.post("/v1/axons/" + id, Map.of("metadata", Map.of())).json().get("metadata").size()).isZero();

        assertThat(s.delete("/v1/axons/" + id).status()).isEqualTo(200);
        assertThat(s.get("/v1/axons/" + id).status()).isEqualTo(404);
        assertThat(s.delete("/v1/axons/" + id).status()).isEqualTo(404);
        assertThat(s.post("/v1/axons/" + id, Map.of("metadata", Map.of())).status()).isEqualTo(404);
        assertThat(s.publish(id, "t", "p").status()).isEqualTo(404);
        assertThat(s.get("/v1/axons/" + id + "/events").status()).isEqualTo(404);
        assertThat(s.get("/v1/axons/" + id + "/subscribe/sse").status()).isEqualTo(404);
        assertThat(ids(s.get("/v1/axons?limit=5000&include_total_count=false").json())).doesNotContain(id);
    }

    @Test
    void createWithoutBody() {
        var r = s.send(s.request("/v1/axons").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("metadata").size()).isZero();
    }

    @Test
    void listPagesInCreationOrderWithFilters() {
        String tag = "page-" + System.nanoTime();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            var md = new HashMap<String, String>();
            md.put("tag", tag);
            md.put("parity", i % 2 == 0 ? "even" : "odd");
            md.put("n", Integer.toString(i));
            created.add(s.post("/v1/axons", Map.of("name", tag + "-" + i, "metadata", md)).json().get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        while (true) {
            JsonNode page = s.get("/v1/axons?limit=3&metadata[tag]=" + tag + (cursor == null ? "" : "&starting_after=" + cursor)).json();
            pages++;
            assertThat(page.get("total_count").asInt()).isEqualTo(7);
            seen.addAll(ids(page));
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            cursor = seen.get(seen.size() - 1);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(created);

        assertThat(ids(s.get("/v1/axons?limit=100&name=" + tag + "-1").json())).containsExactly(created.get(1));
        assertThat(ids(s.get("/v1/axons?limit=100&name=" + tag).json())).hasSize(7);
        assertThat(ids(s.get("/v1/axons?limit=100&search=" + tag.substring(5) + "-6").json())).containsExactly(created.get(6));
        assertThat(ids(s.get("/v1/axons?limit=100&search=" + created.get(3).substring(6)).json())).containsExactly(created.get(3));
        assertThat(ids(s.get("/v1/axons?limit=100&id=" + created.get(4)).json())).containsExactly(created.get(4));
        assertThat(ids(s.get("/v1/axons?limit=100&metadata[tag]=" + tag + "&metadata[parity]=odd").json()))
                .containsExactly(created.get(1), created.get(3), created.get(5));
        assertThat(ids(s.get("/v1/axons?limit=100&metadata[tag]=" + tag + "&metadata[n][in]=0,5,6").json()))
                .containsExactly(created.get(0), created.get(5), created.get(6));
        JsonNode noTotal = s.get("/v1/axons?limit=1&include_total_count=false&metadata[tag]=" + tag).json();
        assertThat(noTotal.has("total_count")).isFalse();
        assertThat(noTotal.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void metadataFiltersHandleAwkwardKeys() {
        String tag = "awk" + System.nanoTime();
        String a = s.post("/v1/axons", Map.of("metadata", Map.of("tag", tag, "a.b", "dot", "q\"k", "quote", "x[0]", "br"))).json().get("id").asText();
        s.post("/v1/axons", Map.of("metadata", Map.of("tag", tag, "a.b", "other")));
        String q = "/v1/axons?limit=100&metadata[tag]=" + tag;
        assertThat(ids(s.get(q + "&metadata[a.b]=dot").json())).containsExactly(a);
        assertThat(ids(s.get(q + "&metadata[q%22k]=quote").json())).containsExactly(a);
        assertThat(ids(s.get(q + "&metadata[x%5B0%5D]=br").json())).containsExactly(a);
        assertThat(ids(s.get(q + "&metadata[a.b][in]=dot,other").json())).hasSize(2);
        assertThat(s.get(q + "&metadata[missing]=x").json().get("total_count").asInt()).isZero();
    }

    @Test
    void listRejectsBadParameters() {
        assertThat(s.get("/v1/axons?limit=0").errorField()).isEqualTo("limit");
        assertThat(s.get("/v1/axons?limit=5001").errorField()).isEqualTo("limit");
        assertThat(s.get("/v1/axons?limit=x").status()).isEqualTo(400);
        assertThat(s.get("/v1/axons?starting_after=axn_nope").errorField()).isEqualTo("starting_after");
        assertThat(s.get("/v1/axons?include_total_count=maybe").errorField()).isEqualTo("include_total_count");
        assertThat(s.get("/v1/axons?metadata[x=1").status()).isEqualTo(400);
    }

    @Test
    void fieldLimitsAndTypes() {
        assertThat(s.post("/v1/axons", Map.of("name", "x".repeat(257))).errorField()).isEqualTo("name");
        assertThat(s.post("/v1/axons", Map.of("name", "x".repeat(256))).status()).isEqualTo(200);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) many.put("k" + i, "v");
        assertThat(s.post("/v1/axons", Map.of("metadata", many)).errorField()).isEqualTo("metadata");
        assertThat(s.post("/v1/axons", Map.of("metadata", Map.of("k", "v".repeat(257)))).errorField()).isEqualTo("metadata.k");
        assertThat(s.post("/v1/axons", Map.of("metadata", Map.of("k".repeat(257), "v"))).errorField()).isEqualTo("metadata");
        assertThat(s.post("/v1/axons", "{\"name\": 5}").errorField()).isEqualTo("name");
        assertThat(s.post("/v1/axons", "{\"metadata\": {\"a\": 1}}").errorField()).isEqualTo("metadata.a");
        assertThat(s.post("/v1/axons", "{\"metadata\": [1]}").errorField()).isEqualTo("metadata");
        assertThat(s.post("/v1/axons", "[1,2]").status()).isEqualTo(400);
        assertThat(s.post("/v1/axons", "{nope").errorType()).isEqualTo("invalid_request");
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("axons").forEach(a -> out.add(a.get("id").asText()));
        return out;
    }
}
