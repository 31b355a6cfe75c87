package io.myelin.cli.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.testkit.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents the broker tests run: real node processes from the top-level {@code test-agents/} tree, whose own
 * module installs them early in the build ({@code npm ci}; see {@code test-agents/README.md} for what each agent does
 * and the prompt markers that script it). The directory can be moved with {@code -Dmyelin.test-agents=DIR}.
 * Tests of other packages configure them as a server's agents through {@link #binaries()}.
 */
public final class TestAgents {
    private TestAgents() {
    }

    static Path dir() {
        Path d = Path.of(System.getProperty("myelin.test-agents", "../test-agents")).toAbsolutePath().normalize();
        if (!Files.isDirectory(d.resolve("node_modules"))) {
            throw new IllegalStateException("the test agents are not installed in " + d
                    + ": run `npm ci --prefix test-agents` from the repository root (a full build does it)");
        }
        return d;
    }

    static String node() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path n = Path.of(p, "node");
            if (Files.isExecutable(n)) {
                return n.toString();
            }
        }
        throw new IllegalStateException("node is not on PATH; the broker tests run node agents");
    }

    /**
     * The ACP SDK's own example agent ({@code @agentclientprotocol/sdk@1.9.0}, {@code dist/examples/agent.js}):
     * message chunks, a tool call, a permission request, {@code end_turn}; each turn takes about five seconds of
     * timers; no {@code loadSession}.
     */
    static List<String> acpExample() {
        return script(dir().resolve("node_modules/@agentclientprotocol/sdk/dist/examples/agent.js"));
    }

    /** The ACP agent of the test tree that supports {@code loadSession}. */
    static List<String> acpWithLoadSession() {
        return script(dir().resolve("acp-agent.mjs"));
    }

    /** The two-way fake of Claude Code's stream-json mode, with {@code --resume}. */
    static List<String> fakeClaude() {
        return script(dir().resolve("fake-claude.mjs"));
    }

    /** {@code hostile-agent.mjs} with {@code options} (see the test agents' README). */
    static List<String> hostile(String... options) {
        List<String> cmd = new java.util.ArrayList<>(script(dir().resolve("hostile-agent.mjs")));
        cmd.addAll(List.of(options));
        return cmd;
    }

    private static List<String> script(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test agent " + p + " is missing");
        }
        return List.of(node(), p.toString());
    }

    /**
     * The setting {@code agents.binaries} (JSON) that makes these agents a server's: {@code acp-example}
     * ({@link #acpExample()}), {@code acp-agent} ({@link #acpWithLoadSession()}), {@code fake-claude}
     * ({@link #fakeClaude()}).
     */
    public static String binaries() {
        ObjectNode b = new ObjectMapper().createObjectNode();
        Map.of("acp-example", acpExample(), "acp-agent", acpWithLoadSession(), "fake-claude", fakeClaude())
                .forEach((name, command) -> command.forEach(b.putArray(name)::add));
        return b.toString();
    }

    /** A broker mount ({@code POST /v1/devboxes} body shape) of the server's agent {@code agent} on {@code axon}, over ACP. */
    static Map<String, Object> acpMount(String axon, String agent) {
        return Map.of("type", "broker_mount", "axon_id", axon, "protocol", "acp", "agent_binary", agent);
    }

    /** A server whose only agent is {@code acp} ({@link #acpWithLoadSession()}), with {@code more} settings. */
    static TestServer serverWithAcpAgent(Path dataDir, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(more);
        settings.put("agents.binaries", AxonTail.write(Map.of("acp", acpWithLoadSession())));
        return TestServer.start(dataDir, settings);
    }

    /** Creates a devbox with one {@link #acpMount} of {@code acp} on {@code axon}; returns its id. */
    static String acpDevbox(TestServer server, String axon) {
        TestServer.Reply created = server.post("/v1/devboxes", Map.of("mounts", List.of(acpMount(axon, "acp"))));
        org.assertj.core.api.Assertions.assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("id").asText();
    }

    /** A small environment for an agent: PATH and HOME only. */
    static Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        return env;
    }
}
