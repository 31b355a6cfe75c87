package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.MyelinClient;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client commands, run in-process through the real {@code myelin} command tree against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class ClientCommandsTest {
    @InjectServer
    static TestServer server;

    private static JsonNode json(String line) {
        JsonNode n = CliJson.tryParse(line);
        assertThat(n).as("JSON line: %s", line).isNotNull();
        return n;
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"axons", "--help"}, new String[] {"axons", "create", "--help"},
                new String[] {"axons", "list", "--help"}, new String[] {"axons", "get", "--help"}, new String[] {"axons", "update", "--help"},
                new String[] {"axons", "delete", "--help"}, new String[] {"publish", "--help"}, new String[] {"events", "--help"},
                new String[] {"tail", "--help"}, new String[] {"sql", "--help"}, new String[] {"exec", "--help"})) {
            Cli.Result r = Cli.runRaw(cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).as(String.join(" ", cmd)).contains("Usage: myelin");
        }
        assertThat(Cli.runRaw("--help").out()).contains("axons", "publish", "events", "tail", "sql", "exec", "serve");
    }

    @Test
    void axonsLifecycleInTablesAndJson() {
        String name = "cli-" + UUID.randomUUID();
        Cli.Result created = Cli.run(server, "axons", "create", "--name", name, "-m", "team=infra", "--quiet");
        assertThat(created.exit()).isZero();
        String id = created.out().strip();
        assertThat(id).isNotBlank().doesNotContain("\n");

        Cli.Result got = Cli.run(server, "axons", "get", id);
        assertThat(got.out()).contains("id        " + id, "name      " + name, "metadata  team=infra");

        JsonNode j = json(Cli.run(server, "axons", "get", id, "--json").out().strip());
        assertThat(j.get("id").asText()).isEqualTo(id);
        assertThat(j.get("metadata").get("team").asText()).isEqualTo("infra");

        Cli.run(server, "axons", "create", "--name", name + "-2");
        Cli.Result list = Cli.run(server, "axons", "list", "--name", name);
        assertThat(list.lines().getFirst()).startsWith("ID").contains("NAME", "CREATED", "METADATA");
        assertThat(list.lines()).hasSize(3);
        assertThat(Cli.run(server, "axons", "list", "--name", name, "--limit", "1").lines()).hasSize(2);
        assertThat(Cli.run(server, "axons", "list", "--name", name, "--json").lines()).hasSize(2)
                .allSatisfy(l -> assertThat(json(l).get("name").asText()).startsWith(name));
        assertThat(Cli.run(server, "axons", "list", "--name", name, "-m", "team=infra", "--json").lines()).hasSize(1);

        Cli.Result updated = Cli.run(server, "axons", "update", id, "-m", "team=support", "-m", "tier=gold", "--json");
        assertThat(json(updated.out().strip()).get("metadata").size()).isEqualTo(2);
        assertThat(json(Cli.run(server, "axons", "update", id, "--clear", "--json").out().strip()).get("metadata").size()).isZero();

        assertThat(Cli.run(server, "axons", "delete", id).out()).contains("deleted " + id);
        Cli.Result missing = Cli.run(server, "axons", "get", id);
        assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(missing.err().strip()).startsWith("myelin: 404 not_found").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void publishFromFlagFileAndStdinThenReadBack(@TempDir Path tmp) throws Exception {
        String id = Cli.run(server, "axons", "create", "-q").out().strip();
        assertThat(Cli.run(server, "publish", id, "--type", "message", "--payload", "{\"text\":\"one\"}").out()).contains("published #1");

        Path file = tmp.resolve("payload.json");
        Files.writeString(file, "{\"text\":\"two\"}\n");
        Cli.Result fromFile = Cli.run(server, "publish", id, "-t", "message", "--origin", "AGENT_EVENT", "--source", "bot",
                "--payload", "@" + file, "--json");
        assertThat(json(fromFile.out().strip()).get("sequence").asLong()).isEqualTo(2);

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\"text\":\"three\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(Cli.run(server, "publish", id, "--type", "message", "-").out()).contains("published #3");
        } finally {
            System.setIn(stdin);
        }

        Cli.Result events = Cli.run(server, "events", id, "--limit", "2");
        assertThat(events.lines()).hasSize(3);
        assertThat(events.lines().get(1)).startsWith("3 ").contains("USER_EVENT", "cli", "message", "{\"text\":\"three\"}");
        assertThat(events.lines().get(2)).startsWith("2 ").contains("AGENT_EVENT", "bot");

        List<String> tail = Cli.run(server, "tail", id, "--after", "1", "--json").lines();
        assertThat(tail).extracting(l -> json(l).get("sequence").asLong()).containsExactly(2L, 3L);
        assertThat(Cli.run(server, "tail", id).lines()).hasSize(3).first().asString().startsWith("#1  ");
        assertThat(Cli.run(server, "tail", id, "-n", "1").lines()).hasSize(1).first().asString().startsWith("#3  ");

        Cli.Result idem1 = Cli.run(server, "publish", id, "-t", "x", "-p", "{}", "--idempotency-key", "k1");
        Cli.Result idem2 = Cli.run(server, "publish", id, "-t", "x", "-p", "{}", "--idempotency-key", "k1");
        assertThat(idem1.out()).isEqualTo(idem2.out()).contains("#4");
    }

    @Test
    void mistakesGiveOneLineAndAMeaningfulExitCode() {
        String id = Cli.run(server, "axons", "create", "-q").out().strip();
        Cli.Result notJson = Cli.run(server, "publish", id, "--type", "t", "--payload", "{oops");
        assertThat(notJson.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(notJson.err()).startsWith("myelin: payload is not valid JSON");

        assertThat(Cli.run(server, "publish", id, "--payload", "{}").exit()).isEqualTo(ExitCode.USAGE); // --type missing
        Cli.Result system = Cli.run(server, "publish", id, "-t", "x", "-p", "{}", "--origin", "SYSTEM_EVENT");
        assertThat(system.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(system.err()).isEqualTo("myelin: origin SYSTEM_EVENT cannot be published\n");
        assertThat(Cli.run(server, "exec", "--input", "x", "--resume").exit()).isEqualTo(ExitCode.USAGE);

        Cli.Result badKey = Cli.runRaw("axons", "list", "--server", server.baseUrl(), "--api-key", "wrong-key-0123456789");
        assertThat(badKey.exit()).isEqualTo(ExitCode.AUTH);
        assertThat(badKey.err()).contains("401").contains("--api-key");

        Cli.Result down = Cli.runRaw("axons", "list", "--server", "http://127.0.0.1:1", "--api-key", "k");
        assertThat(down.exit()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(down.err().lines()).hasSize(1).first().asString().startsWith("myelin: cannot reach http://127.0.0.1:1");

        Cli.Result badUrl = Cli.runRaw("axons", "list", "--server", "localhost:7777");
        assertThat(badUrl.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(badUrl.err()).startsWith("myelin: --server: base URL must look like http://host:port");

        Cli.Result verbose = Cli.runRaw("axons", "list", "--server", "http://127.0.0.1:1", "--api-key", "k", "--verbose");
        assertThat(verbose.err()).contains("MyelinConnectionException", "\tat ");

        Cli.Result tooLong = Cli.run(server, "axons", "create", "--name", "x".repeat(5000));
        assertThat(tooLong.exit()).isEqualTo(ExitCode.REJECTED);
        assertThat(tooLong.err()).contains("(field: name)");
    }

    @Test
    void theLocalAdminKeyFileIsUsedWhenNoKeyIsGiven() throws Exception {
        // Commands run in the working directory; only check the resolution logic, without touching ./myelin-data.
        ClientOptions o = new ClientOptions();
        o.server = server.baseUrl();
        o.apiKey = TestServer.ADMIN_KEY;
        try (MyelinClient c = o.connect()) {
            assertThat(c.axons().create().id()).isNotBlank();
        }
        assertThat(ClientOptions.LOCAL_KEY_FILE).isEqualTo(Path.of("myelin-data", "admin.key"));
    }
}
