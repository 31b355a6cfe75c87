package io.myelin.server;

import io.myelin.testkit.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the devbox API accepts and refuses: every field Myelin cannot honour is refused with 422 naming it, values
 * out of range with 400 naming the field and the limit, agents and blueprints the operator did not configure with
 * 422 saying how to configure them; creates apply once per retry key; lists page by cursor and filter by status;
 * {@code wait_for_status} answers 408 when its time is up.
 */
@Timeout(120)
class DevboxRequestsTest {
    static DevboxFixture f;
    static String axon;

    @BeforeAll
    static void start() throws Exception {
        f = DevboxFixture.start(Map.of(
                "devboxes.wait-timeout", "300ms",
                "devboxes.blueprints", "{\"axon-agents\": {\"setup-commands\": [\"echo set up >> setup.txt\"],"
                        + " \"agent-binaries\": [\"cat\"]}, \"bare\": {\"agent-binaries\": []}}"));
        axon = f.server.createAxon("requests");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static TestServer.Reply create(Object body) {
        return f.server.post("/v1/devboxes", body);
    }

    private static void refused(Object body, int status, String field, String... words) {
        TestServer.Reply r = create(body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        for (String w : words) {
            assertThat(r.json().get("error").get("message").asText()).contains(w);
        }
    }

    private static Map<String, Object> mount(Map<String, Object> overrides) {
        Map<String, Object> m = new HashMap<>(DevboxFixture.catMount(axon));
        m.putAll(overrides);
        return m;
    }

    @Test
    void fieldsMyelinCannotHonourAreRefusedByName() {
        for (String field : List.of("gateways", "tunnel", "snapshot_id", "blueprint_id", "code_mounts", "file_mounts",
                "entrypoint", "mcp", "secrets")) {
            Object value = switch (field) {
                case "snapshot_id", "blueprint_id", "entrypoint" -> "x";
                case "code_mounts" -> List.of(Map.of("repo_name", "r", "repo_owner", "o"));
                default -> Map.of("k", Map.of("a", "b"));
            };
            refused(Map.of(field, value), 422, field);
        }
        for (String field : List.of("resource_size_request", "custom_cpu_cores", "custom_gb_memory", "custom_disk_size",
                "user_parameters", "network_policy_id", "required_services", "available_ports")) {
            Object value = switch (field) {
                case "resource_size_request", "network_policy_id" -> "LARGE";
                case "required_services" -> List.of("db");
                case "available_ports" -> List.of(8080);
                case "user_parameters" -> Map.of("uid", 1000, "username", "u");
                default -> 4;
            };
            refused(Map.of("launch_parameters", Map.of(field, value)), 422, "launch_parameters." + field);
        }
        refused(Map.of("launch_parameters", Map.of("provisioning_tier", "flex")), 422, "launch_parameters.provisioning_tier");
        refused(Map.of("launch_parameters", Map.of("architecture", "sparc")), 422, "launch_parameters.architecture");
        refused(Map.of("launch_paramters", Map.of()), 422, "launch_paramters", "unknown field");
        refused(Map.of("launch_parameters", Map.of("lifecycle", Map.of("resume_triggers", Map.of("http", true)))), 422,
                "launch_parameters.lifecycle.resume_triggers.http", "tunnels");
        refused(Map.of("mounts", List.of(Map.of("type", "object_mount", "object_id", "o", "object_path", "/p"))), 422,
                "mounts[0].type", "broker_mount");
        refused(Map.of("mounts", List.of(mount(Map.of("protocol", "codex_json")))), 422, "mounts[0].protocol", "acp");
        refused(Map.of("mounts", List.of(mount(Map.of("extra", 1)))), 422, "mounts[0].extra");

        // Asking for nothing is fine: null, empty, and what Myelin does anyway.
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("gateways", Map.of());
        nothing.put("code_mounts", List.of());
        nothing.put("snapshot_id", null);
        nothing.put("launch_parameters", Map.of("provisioning_tier", "standard", "available_ports", List.of()));
        TestServer.Reply ok = create(nothing);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        f.post(ok.json().get("id").asText(), "shutdown");
    }

    @Test
    void agentsAndBlueprintsAreTheOperators() {
        refused(Map.of("mounts", List.of(mount(Map.of("agent_binary", "opencode")))), 422, "mounts[0].agent_binary",
                "agents.binaries", "cat");
        refused(Map.of("mounts", List.of(mount(Map.of("agent_binary", "/bin/sh")))), 422, "mounts[0].agent_binary");
        Map<String, Object> noBinary = new HashMap<>(DevboxFixture.catMount(axon));
        noBinary.remove("agent_binary");
        refused(Map.of("mounts", List.of(noBinary)), 400, "mounts[0].agent_binary");
        refused(Map.of("blueprint_name", "nope"), 422, "blueprint_name", "devboxes.blueprints", "axon-agents");
        refused(Map.of("blueprint_name", "bare", "mounts", List.of(mount(Map.of()))), 422, "mounts[0].agent_binary", "bare");
        refused(Map.of("mounts", List.of(mount(Map.of("axon_id", "axn_missing")))), 422, "mounts[0].axon_id", "not found");
        refused(Map.of("mounts", List.of(mount(Map.of()), mount(Map.of()))), 422, "mounts[1].axon_id", "twice");
        refused(Map.of("mounts", List.of(mount(Map.of("working_directory", "/home/user")))), 422, "mounts[0].working_directory");
        refused(Map.of("mounts", List.of(mount(Map.of("working_directory", "a/../../b")))), 400, "mounts[0].working_directory");

        JsonNode d = f.create(Map.of("blueprint_name", "axon-agents",
                "launch_parameters", Map.of("lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", 60, "on_idle", "shutdown"))),
                "mounts", List.of(mount(Map.of("working_directory", "project/src", "launch_args", List.of("-u"))))));
        String id = d.get("id").asText();
        f.awaitStatus(id, "running");
        assertThat(f.workspace(id).resolve("setup.txt")).hasContent("set up");
        assertThat(f.lastMount(id).spec().workingDirectory()).isEqualTo(f.workspace(id).resolve("project/src"));
        assertThat(f.lastMount(id).spec().command()).containsExactly("/bin/cat", "-u");
        f.clock.advance(java.time.Duration.ofSeconds(60));
        f.awaitStatus(id, "suspended");
        f.post(id, "resume");
        f.awaitStatus(id, "running");
        assertThat(f.workspace(id).resolve("setup.txt")).as("setup runs once, when the workspace is created")
                .hasContent("set up");
        f.post(id, "shutdown");
    }

    @Test
    void valuesOutOfRangeNameTheFieldAndTheLimit() {
        refused(Map.of("environment_variables", Map.of("1BAD", "x")), 400, "environment_variables");
        refused(Map.of("environment_variables", Map.of("MYELIN_DEVBOX_ID", "x")), 400, "environment_variables.MYELIN_DEVBOX_ID");
        refused(Map.of("environment_variables", Map.of("BIG", "x".repeat(32_769))), 400, "environment_variables.BIG", "32768");
        refused(Map.of("environment_variables", Map.of("N", 1)), 400, "environment_variables.N");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 129; i++) {
            many.put("V" + i, "x");
        }
        refused(Map.of("environment_variables", many), 400, "environment_variables", "128");
        refused(Map.of("name", "n".repeat(257)), 400, "name", "256");
        refused(Map.of("launch_parameters", Map.of("launch_commands", List.of(""))), 400, "launch_parameters.launch_commands[0]");
        refused(Map.of("launch_parameters", Map.of("launch_commands", "echo")), 400, "launch_parameters.launch_commands");
        String lc = "launch_parameters.lifecycle.";
        refused(Map.of("launch_parameters", Map.of("lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", 0, "on_idle", "suspend")))),
                400, lc + "after_idle.idle_time_seconds");
        refused(Map.of("launch_parameters", Map.of("lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", 5, "on_idle", "sleep")))),
                400, lc + "after_idle.on_idle");
        refused(Map.of("launch_parameters", Map.of("lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", 1.5, "on_idle", "suspend")))),
                400, lc + "after_idle.idle_time_seconds");
        refused(Map.of("launch_parameters", Map.of("lifecycle", Map.of("lifecycle_hooks", Map.of("suspend_deadline_ms", 60_001)))),
                400, lc + "lifecycle_hooks.suspend_deadline_ms", "60000");
        refused(Map.of("launch_parameters", Map.of("keep_alive_time_seconds", 172_801)), 400,
                "launch_parameters.keep_alive_time_seconds");
        refused(Map.of("launch_parameters", Map.of(
                        "after_idle", Map.of("idle_time_seconds", 5, "on_idle", "suspend"),
                        "lifecycle", Map.of("after_idle", Map.of("idle_time_seconds", 6, "on_idle", "suspend")))),
                422, "launch_parameters.after_idle");
        refused(Map.of("mounts", "x"), 400, "mounts");
        refused(Map.of("metadata", Map.of("k", 1)), 400, "metadata.k");
    }

    @Test
    void theLegacyAfterIdleIsTheLifecycleOne() {
        JsonNode d = f.create(Map.of("launch_parameters", Map.of("after_idle", Map.of("idle_time_seconds", 7, "on_idle", "shutdown"))));
        JsonNode idle = d.get("launch_parameters").get("lifecycle").get("after_idle");
        assertThat(idle.get("idle_time_seconds").asLong()).isEqualTo(7);
        assertThat(idle.get("on_idle").asText()).isEqualTo("shutdown");
        f.post(d.get("id").asText(), "shutdown");
    }

    @Test
    void retriesRacingTheirOriginalGetItsDevboxOrARetryableConflict() throws Exception {
        String tag = "race-" + System.nanoTime();
        String fresh = f.server.createAxon(tag);
        Map<String, Object> body = Map.of("name", tag, "mounts", List.of(DevboxFixture.catMount(fresh)));
        int n = 4;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<TestServer.Reply>> replies = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return f.server.post("/v1/devboxes", body, Map.of("Idempotency-Key", tag));
                }));
            }
            go.countDown();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var future : replies) {
                TestServer.Reply r = future.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (r.status() == 200) {
                    ids.add(r.json().get("id").asText());
                } else {
                    assertThat(r.status()).as(r.body()).isEqualTo(409);
                    assertThat(r.body()).contains("still running");
                    assertThat(r.response().headers().firstValue("x-should-retry")).as(r.body()).contains("true");
                }
            }
            assertThat(ids).hasSize(1);
            TestServer.Reply again = f.server.post("/v1/devboxes", body, Map.of("Idempotency-Key", tag));
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("id").asText()).isEqualTo(ids.iterator().next());
            f.post(ids.iterator().next(), "shutdown");
        }
    }

    @Test
    void aCreateRetriedWithItsKeyCreatesOneDevbox() {
        String tag = "retry-" + System.nanoTime();
        Map<String, Object> body = Map.of("name", tag);
        TestServer.Reply first = f.server.post("/v1/devboxes", body, Map.of("Idempotency-Key", tag));
        TestServer.Reply again = f.server.post("/v1/devboxes", body, Map.of("Idempotency-Key", tag));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        TestServer.Reply sdkRetry = f.server.post("/v1/devboxes", body, Map.of("X-Request-Id", tag + "-sdk"));
        TestServer.Reply sdkAgain = f.server.post("/v1/devboxes", body, Map.of("X-Request-Id", tag + "-sdk"));
        assertThat(sdkAgain.json().get("id")).isEqualTo(sdkRetry.json().get("id"));
        TestServer.Reply other = f.server.post("/v1/devboxes", Map.of("name", tag + "-other"), Map.of("Idempotency-Key", tag));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorField()).isEqualTo("Idempotency-Key");
        List<String> named = new ArrayList<>();
        for (JsonNode d : f.server.get("/v1/devboxes?limit=5000").json().get("devboxes")) {
            if (d.get("name").asText().equals(tag)) {
                named.add(d.get("id").asText());
            }
        }
        assertThat(named).hasSize(2);
        named.forEach(id -> f.post(id, "shutdown"));
    }

    @Test
    void listPagesByCursorAndFiltersByStatus() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(f.create(Map.of("name", "page-" + i)).get("id").asText());
        }
        ids.forEach(id -> f.awaitStatus(id, "running"));
        f.post(ids.get(1), "shutdown");
        f.post(ids.get(3), "shutdown");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode page = f.server.get("/v1/devboxes?limit=2" + (cursor == null ? "" : "&starting_after=" + cursor)).json();
            assertThat(page.get("devboxes").size()).isLessThanOrEqualTo(2);
            page.get("devboxes").forEach(d -> seen.add(d.get("id").asText()));
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            cursor = seen.get(seen.size() - 1);
        }
        assertThat(seen).containsSubsequence(ids);
        JsonNode shut = f.server.get("/v1/devboxes?status=shutdown&limit=5000").json();
        List<String> shutIds = shut.get("devboxes").findValuesAsText("id");
        assertThat(shutIds).contains(ids.get(1), ids.get(3)).doesNotContain(ids.get(0), ids.get(2), ids.get(4));
        assertThat(shut.get("total_count").asInt()).isEqualTo(shutIds.size());
        assertThat(f.server.get("/v1/devboxes?status=queued").json().get("devboxes").size()).isZero();
        assertThat(f.server.get("/v1/devboxes?limit=1&include_total_count=false").json().has("total_count")).isFalse();

        assertThat(f.server.get("/v1/devboxes?status=sleeping").errorField()).isEqualTo("status");
        assertThat(f.server.get("/v1/devboxes?limit=0").errorField()).isEqualTo("limit");
        assertThat(f.server.get("/v1/devboxes?limit=5001").errorField()).isEqualTo("limit");
        assertThat(f.server.get("/v1/devboxes?starting_after=dbx_nope").errorField()).isEqualTo("starting_after");
        List.of(0, 2, 4).forEach(i -> f.post(ids.get(i), "shutdown"));
    }

    @Test
    void waitForStatusAnswers408WhenItsTimeIsUpAndChecksItsBody() {
        String id = f.create(Map.of()).get("id").asText();
        f.awaitStatus(id, "running");
        TestServer.Reply r = f.server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of("suspended")));
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.response().headers().firstValue("x-should-retry")).hasValue("true");
        assertThat(r.json().get("error").get("message").asText()).contains("running");
        assertThat(f.server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of()).errorField()).isEqualTo("statuses");
        assertThat(f.server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of())).errorField())
                .isEqualTo("statuses");
        assertThat(f.server.post("/v1/devboxes/" + id + "/wait_for_status", Map.of("statuses", List.of("running", "asleep")))
                .errorField()).isEqualTo("statuses[1]");
        assertThat(f.server.post("/v1/devboxes/dbx_nope/wait_for_status", Map.of("statuses", List.of("running"))).status())
                .isEqualTo(404);
        f.post(id, "shutdown");
    }

    @Test
    void createAndAwaitRunningAnswersOnceRunning() {
        TestServer.Reply r = f.server.post("/v1/devboxes/create_and_await_running",
                Map.of("launch_parameters", Map.of("launch_commands", List.of("true"))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("running");
        f.post(r.json().get("id").asText(), "shutdown");
    }
}
