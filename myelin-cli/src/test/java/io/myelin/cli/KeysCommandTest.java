package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code myelin keys create|list|rotate|revoke} in-process against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithMyelinServer
class KeysCommandTest {
    @InjectServer
    static TestServer server;

    @Test
    void createListRotateRevoke() {
        String axon = server.createAxon("keys-cli");
        Cli.Result created = Cli.run(server, "keys", "create", "ci", "--scope", "axons:read,events:read", "--axon", axon,
                "--expires-in", "7d", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonNode key = CliJson.tryParse(created.out().strip());
        String id = key.get("id").asText();
        String secret = key.get("key").asText();
        assertThat(key.get("scopes")).hasToString("[\"axons:read\",\"events:read\"]");
        assertThat(key.get("axon_ids")).hasToString("[\"" + axon + "\"]");

        Cli.Result asKey = Cli.runRaw("axons", "list", "--server", server.baseUrl(), "--api-key", secret);
        assertThat(asKey.exit()).as(asKey.err()).isZero();
        assertThat(asKey.out()).contains(axon);

        Cli.Result list = Cli.run(server, "keys", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(id, "ci", "axons:read,events:read", axon).doesNotContain(secret);

        Cli.Result rotated = Cli.run(server, "keys", "rotate", id, "--no-grace", "--quiet");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String fresh = rotated.out().strip();
        assertThat(fresh).startsWith("myl_").isNotEqualTo(secret);
        assertThat(Cli.runRaw("axons", "list", "--server", server.baseUrl(), "--api-key", secret).exit())
                .isEqualTo(ExitCode.AUTH);

        Cli.Result revoked = Cli.run(server, "keys", "revoke", id);
        assertThat(revoked.exit()).isZero();
        assertThat(revoked.out()).contains("revoked " + id);
        assertThat(Cli.runRaw("axons", "list", "--server", server.baseUrl(), "--api-key", fresh).exit())
                .isEqualTo(ExitCode.AUTH);
        assertThat(Cli.run(server, "keys", "list").out()).doesNotContain(id);
        assertThat(Cli.run(server, "keys", "list", "--all").out()).contains(id);
    }

    @Test
    void refusalsAreReported() {
        Cli.Result unknown = Cli.run(server, "keys", "create", "x", "--scope", "axons:reed");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("scopes[0]", "axons:read");
        assertThat(Cli.run(server, "keys", "revoke", "key_000000000000000000000000").exit()).isEqualTo(ExitCode.NOT_FOUND);
        for (List<String> help : List.of(List.of("keys", "--help"), List.of("keys", "create", "--help"))) {
            assertThat(Cli.runRaw(help.toArray(String[]::new)).out()).contains("Usage: myelin keys");
        }
    }
}
