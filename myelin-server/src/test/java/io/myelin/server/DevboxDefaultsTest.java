package io.myelin.server;

import io.myelin.testkit.TestServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out of the box a server runs no agent and no client's shell command; the operator turns each on in the
 * configuration, which is checked at start. Refusals say how.
 */
@Timeout(60)
class DevboxDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void withoutConfigurationNoAgentAndNoCommandRuns() throws Exception {
        try (TestServer s = TestServer.start()) {
            String axon = s.createAxon("defaults");
            TestServer.Reply mount = s.post("/v1/devboxes", Map.of("mounts", List.of(DevboxFixture.catMount(axon))));
            assertThat(mount.status()).isEqualTo(422);
            assertThat(mount.errorField()).isEqualTo("mounts[0].agent_binary");
            assertThat(mount.json().get("error").get("message").asText()).contains("agents.binaries");
            TestServer.Reply commands = s.post("/v1/devboxes", Map.of("launch_parameters", Map.of("launch_commands", List.of("id"))));
            assertThat(commands.status()).isEqualTo(422);
            assertThat(commands.errorField()).isEqualTo("launch_parameters.launch_commands");
            assertThat(commands.json().get("error").get("message").asText()).contains("devboxes.allow-commands: true");
            TestServer.Reply hooks = s.post("/v1/devboxes", Map.of("launch_parameters", Map.of("lifecycle",
                    Map.of("lifecycle_hooks", Map.of("suspend_commands", List.of("sync"))))));
            assertThat(hooks.errorField()).isEqualTo("launch_parameters.lifecycle.lifecycle_hooks.suspend_commands");

            TestServer.Reply plain = s.post("/v1/devboxes", Map.of("name", "plain"));
            assertThat(plain.status()).as(plain.body()).isEqualTo(200);
            assertThat(Files.isDirectory(s.server().dataDir().resolve("devboxes"))).isTrue();
        }
        try (TestServer s = TestServer.start(dir, Map.of(), c -> c, new ProcessBrokerFactory())) {
            String axon = s.createAxon("no-agents");
            TestServer.Reply r = s.post("/v1/devboxes", Map.of("mounts", List.of(DevboxFixture.catMount(axon))));
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorField()).isEqualTo("mounts[0].agent_binary");
            assertThat(r.json().get("error").get("message").asText()).contains("agents.binaries").contains("configured: none");
        }
    }

    @Test
    void maxActiveBoundsTheDevboxesThatAreNotShutDown() {
        try (TestServer s = TestServer.start(dir, Map.of("devboxes.max-active", "1"))) {
            String first = s.post("/v1/devboxes", Map.of()).json().get("id").asText();
            TestServer.Reply refused = s.post("/v1/devboxes", Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.response().headers().firstValue("x-should-retry")).hasValue("false");
            assertThat(refused.json().get("error").get("message").asText()).contains("devboxes.max-active");
            assertThat(s.post("/v1/devboxes/" + first + "/shutdown", Map.of()).status()).isEqualTo(200);
            assertThat(s.post("/v1/devboxes", Map.of()).status()).isEqualTo(200);
        }
    }

    @Test
    void agentAndBlueprintSettingsAreCheckedAtStart() throws Exception {
        assertRefused(Map.of("agents.binaries", "{\"x\": \"bin/cat\"}"), "agents.binaries", "absolute");
        assertRefused(Map.of("agents.binaries", "{\"x\": \"/no/such/agent\"}"), "agents.binaries", "not an executable");
        Path script = Files.writeString(dir.resolve("agent.mjs"), "// a script, not executable by itself");
        assertRefused(Map.of("agents.binaries", "{\"x\": \"" + script + "\"}"), "agents.binaries",
                "[/usr/bin/node, " + script + "]");
        assertRefused(Map.of("agents.binaries", "{\"x\": []}"), "agents.binaries", "empty");
        assertRefused(Map.of("agents.binaries", "{\"bad name\": \"/bin/cat\"}"), "agents.binaries", "bad name");
        assertRefused(Map.of("agents.binaries", "[\"/bin/cat\"]"), "agents.binaries", "mapping");
        assertRefused(Map.of("devboxes.blueprints", "{\"b\": {\"agent-binaries\": [\"claude\"]}}"), "devboxes.blueprints", "claude");
        assertRefused(Map.of("devboxes.blueprints", "{\"b\": {\"setup\": []}}"), "devboxes.blueprints", "setup");
        assertRefused(Map.of("devboxes.wait-timeout", "31s"), "devboxes.wait-timeout", "30s");

        Path yaml = dir.resolve("myelin.yaml");
        Files.writeString(yaml, """
                agents:
                  binaries:
                    my_agent: [/bin/cat, -u]
                    plain: /bin/cat
                devboxes:
                  keep-workspaces: true
                  blueprints:
                    axon-agents:
                      setup_commands: [make setup]
                      agent-binaries: [my_agent]
                """);
        ServerConfig c = new ConfigLoader().yaml(yaml).flag("data-dir", dir).build();
        assertThat(c.devboxes().binaries().get("my_agent").command(List.of("acp"))).containsExactly("/bin/cat", "-u", "acp");
        assertThat(c.devboxes().binaries().get("plain").args()).isEmpty();
        assertThat(c.devboxes().blueprints().get("axon-agents").setupCommands()).containsExactly("make setup");
        assertThat(c.devboxes().blueprints().get("axon-agents").allows("plain")).isFalse();
        assertThat(c.devboxes().keepWorkspaces()).isTrue();
        assertThat(c.devboxes().root()).isEqualTo(dir.toAbsolutePath().resolve("devboxes"));
        ServerConfig env = new ConfigLoader().env(Map.of("MYELIN_AGENTS_BINARIES", "{claude: /bin/cat}",
                "MYELIN_DEVBOXES_ROOT", dir.resolve("ws").toString())).flag("data-dir", dir).build();
        assertThat(env.devboxes().binaries()).containsOnlyKeys("claude");
        assertThat(env.devboxes().root()).isEqualTo(dir.resolve("ws"));
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
