package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.server.config.ServerConfig;
import io.myelin.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators, not clients, decide what code runs: on a server that does not allow client commands, a client's
 * environment variables and agent arguments are refused (422 naming the field and the setting that allows them)
 * unless the operator allowed exactly those, on its own or through a blueprint. The variables a break-it trial used
 * ({@code NODE_OPTIONS} with an inline module, {@code LD_PRELOAD}, {@code PATH}, ...) never reach a process.
 */
@Timeout(120)
class DevboxGuardTest {
    static DevboxFixture f;
    static String axon;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        f = DevboxFixture.start(Map.of(
                "devboxes.allow-commands", "false",
                "agents.binaries", "{\"cat\": [\"/bin/cat\", \"-\"], \"opencode\": {\"command\": [\"/bin/cat\"],"
                        + " \"launch-args\": [\"-u\", \"acp\"]}}",
                "devboxes.allowed-environment", "ANTHROPIC_API_KEY, OPENAI_*",
                "devboxes.blueprints", "{\"gh\": {\"allowed-environment\": [\"GITHUB_TOKEN\"]}}"));
        axon = f.server.createAxon("guard");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static Map<String, Object> mount(String agent, List<String> args) {
        Map<String, Object> m = new HashMap<>(DevboxFixture.catMount(axon));
        m.put("agent_binary", agent);
        m.put("launch_args", args);
        return m;
    }

    private static TestServer.Reply refused(Map<String, Object> body, String field, String... words) {
        TestServer.Reply r = f.server.post("/v1/devboxes", body);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errorField()).as(r.body()).isEqualTo(field);
        for (String w : words) {
            assertThat(r.json().get("error").get("message").asText()).contains(w);
        }
        return r;
    }

    @Test
    void variablesThatRunCodeAreRefusedUnlessTheOperatorAllowsThem() throws Exception {
        int before = f.server.get("/v1/devboxes?limit=100").json().get("devboxes").size();
        Path pwned = dir.resolve("pwned");
        String inline = "--import=data:text/javascript,import(`node:fs`).then(f=>f.writeFileSync(`" + pwned
                + "`,String(process.pid)))";
        refused(Map.of("environment_variables", Map.of("NODE_OPTIONS", inline), "mounts", List.of(mount("cat", List.of()))),
                "environment_variables.NODE_OPTIONS", "devboxes.allowed-environment", "ANTHROPIC_API_KEY, OPENAI_*");
        for (String name : List.of("LD_PRELOAD", "PATH", "BASH_ENV", "PYTHONPATH", "PYTHONSTARTUP", "JAVA_TOOL_OPTIONS",
                "OPENAI", "ANTHROPIC_API_KEY_FILE", "GITHUB_TOKEN")) {
            refused(Map.of("environment_variables", Map.of(name, "x")), "environment_variables." + name);
        }
        TestServer.Reply viaBlueprint = refused(Map.of("blueprint_name", "gh", "environment_variables",
                Map.of("NODE_OPTIONS", "x")), "environment_variables.NODE_OPTIONS", "blueprint 'gh' allows: GITHUB_TOKEN");
        assertThat(viaBlueprint.json().get("error").get("message").asText()).contains("allowed-environment");
        assertThat(f.server.get("/v1/devboxes?limit=100").json().get("devboxes")).as("nothing was created").hasSize(before);
        assertThat(pwned).doesNotExist();

        String id = f.create(Map.of("blueprint_name", "gh", "environment_variables",
                Map.of("ANTHROPIC_API_KEY", "a", "OPENAI_API_KEY", "o", "GITHUB_TOKEN", "g"),
                "mounts", List.of(mount("cat", List.of())))).get("id").asText();
        f.awaitStatus(id, "running");
        assertThat(f.lastMount(id).spec().environment()).containsEntry("ANTHROPIC_API_KEY", "a")
                .containsEntry("OPENAI_API_KEY", "o").containsEntry("GITHUB_TOKEN", "g")
                .containsEntry("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        f.post(id, "shutdown");
    }

    @Test
    void agentArgumentsAreTheOnesTheOperatorListed() {
        refused(Map.of("mounts", List.of(mount("cat", List.of("-u")))), "mounts[0].launch_args",
                "agents.binaries", "launch-args", "devboxes.allow-commands: true", "allowed for cat: none",
                "cat: {command: [/bin/cat, -], launch-args: [-u]}"); // the hint keeps the fixed arguments
        refused(Map.of("mounts", List.of(mount("opencode", List.of("acp", "--mcp-config", "/tmp/x.json")))),
                "mounts[0].launch_args", "'--mcp-config'", "allowed for opencode: -u, acp");
        refused(Map.of("mounts", List.of(mount("opencode", List.of("--dangerously-skip-permissions")))),
                "mounts[0].launch_args");

        String id = f.create(Map.of("mounts", List.of(mount("opencode", List.of("acp"))))).get("id").asText();
        f.awaitStatus(id, "running");
        assertThat(f.lastMount(id).spec().command()).containsExactly("/bin/cat", "acp");
        f.post(id, "shutdown");
    }

    @Test
    void allowCommandsLetsClientsPassAnyVariableButMyelinsAndAnyArgument() throws Exception {
        try (DevboxFixture open = DevboxFixture.start(Map.of())) {
            String a = open.server.createAxon("open");
            Map<String, Object> m = new HashMap<>(DevboxFixture.catMount(a));
            m.put("launch_args", List.of("-u"));
            String id = open.create(Map.of("environment_variables", Map.of("LD_PRELOAD", ""), "mounts", List.of(m)))
                    .get("id").asText();
            open.awaitStatus(id, "running");
            assertThat(open.lastMount(id).spec().command()).containsExactly("/bin/cat", "-u");
            assertThat(open.lastMount(id).spec().environment()).containsEntry("LD_PRELOAD", "");
            TestServer.Reply mine = open.server.post("/v1/devboxes", Map.of("environment_variables",
                    Map.of("MYELIN_DEVBOX_ID", "x")));
            assertThat(mine.status()).isEqualTo(400);
            assertThat(mine.errorField()).isEqualTo("environment_variables.MYELIN_DEVBOX_ID");
            open.post(id, "shutdown");
        }
    }

    @Test
    void refusalsSayTheRulesThatHold() {
        String id = f.create(Map.of("name", "waiting")).get("id").asText();
        TestServer.Reply extra = f.server.post("/v1/devboxes/" + id + "/wait_for_status",
                Map.of("statuses", List.of("running"), "timeout_seconds", 5));
        assertThat(extra.status()).as(extra.body()).isEqualTo(422);
        assertThat(extra.errorField()).isEqualTo("timeout_seconds");

        for (String limit : List.of("-1", "0", "999999")) {
            TestServer.Reply r = f.server.get("/v1/devboxes?limit=" + limit);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.errorField()).isEqualTo("limit");
            assertThat(r.json().get("error").get("message").asText()).contains("between 1 and 5000");
        }

        Map<String, Object> bad = new HashMap<>(mount("cat", List.of()));
        bad.put("protocol", "smoke_signals");
        TestServer.Reply protocol = f.server.post("/v1/devboxes", Map.of("mounts", List.of(bad)));
        assertThat(protocol.status()).as(protocol.body()).isEqualTo(400);
        assertThat(protocol.errorField()).isEqualTo("mounts[0].protocol");
        assertThat(protocol.json().get("error").get("message").asText()).contains("acp or claude_json")
                .contains("not supported").doesNotContain("one of");
        f.post(id, "shutdown");
    }

    @Test
    void theSettingsAreCheckedAtStart() throws Exception {
        assertRefused(Map.of("devboxes.allowed-environment", "OPENAI_*, BAD-NAME"), "devboxes.allowed-environment", "BAD-NAME");
        assertRefused(Map.of("devboxes.allowed-environment", "MYELIN_*"), "devboxes.allowed-environment", "Myelin's own");
        assertRefused(Map.of("agents.binaries", "{\"x\": {\"launch-args\": [\"acp\"]}}"), "agents.binaries", "no command");
        assertRefused(Map.of("agents.binaries", "{\"x\": {\"command\": \"/bin/cat\", \"args\": []}}"), "agents.binaries", "'args'");
        assertRefused(Map.of("agents.binaries", "{\"x\": {\"command\": \"/bin/cat\", \"launch-args\": \"acp\"}}"),
                "agents.binaries", "launch-args");
        assertRefused(Map.of("devboxes.blueprints", "{\"b\": {\"allowed-environment\": [\"A B\"]}}"),
                "devboxes.blueprints", "b.allowed-environment");

        Path yaml = dir.resolve("myelin.yaml");
        Files.writeString(yaml, """
                agents:
                  binaries:
                    opencode:
                      command: /bin/cat
                      launch-args: [acp]
                    claude: [/bin/cat, --model, sonnet]
                devboxes:
                  allowed-environment: [ANTHROPIC_API_KEY, OPENAI_*]
                  blueprints:
                    gh:
                      allowed-environment: [GITHUB_TOKEN]
                """);
        ServerConfig c = new ConfigLoader().yaml(yaml).flag("data-dir", dir).build();
        assertThat(c.devboxes().binaries().get("opencode").launchArgs()).containsExactly("acp");
        assertThat(c.devboxes().binaries().get("opencode").command(List.of("acp"))).containsExactly("/bin/cat", "acp");
        assertThat(c.devboxes().binaries().get("claude").launchArgs()).isEmpty();
        assertThat(c.devboxes().allowedEnvironment().allows("OPENAI_API_KEY")).isTrue();
        assertThat(c.devboxes().allowedEnvironment().allows("ANTHROPIC_API_KEY")).isTrue();
        assertThat(c.devboxes().allowedEnvironment().allows("NODE_OPTIONS")).isFalse();
        assertThat(c.devboxes().blueprints().get("gh").allowedEnvironment().allows("GITHUB_TOKEN")).isTrue();
        ServerConfig every = new ConfigLoader().env(Map.of("MYELIN_DEVBOXES_ALLOWED_ENVIRONMENT", "*"))
                .flag("data-dir", dir).build();
        assertThat(every.devboxes().allowedEnvironment().allows("NODE_OPTIONS")).isTrue();
        assertThat(every.devboxes().allowedEnvironment().allows("MYELIN_DEVBOX_ID")).isFalse();
    }

    private void assertRefused(Map<String, String> settings, String key, String words) {
        ConfigLoader loader = new ConfigLoader().flag("data-dir", dir);
        settings.forEach(loader::flag);
        assertThatThrownBy(loader::build).isInstanceOfSatisfying(MyelinException.class, e -> {
            assertThat(e.field()).isEqualTo(key);
            assertThat(e.getMessage()).contains(words);
        });
    }
}
