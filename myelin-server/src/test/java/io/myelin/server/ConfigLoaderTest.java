package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void anUnconfiguredServerRunsWithTheEngineDefaults() {
        ServerConfig c = new ConfigLoader().build();
        assertThat(c.streamLimits()).isEqualTo(io.myelin.stream.StreamLimits.DEFAULTS);
        assertThat(c.axonLimits()).isEqualTo(io.myelin.axon.AxonLimits.DEFAULTS);
        assertThat(c.sql()).isEqualTo(io.myelin.axonsql.SqlLimits.defaults());
        io.myelin.storage.sqlite.StorageOptions engine = io.myelin.storage.sqlite.StorageOptions.defaults(c.dataDir());
        assertThat(c.storage()).usingRecursiveComparison().ignoringFields("clock").isEqualTo(engine);
    }

    @Test
    void defaultsThenYamlThenEnvThenFlags() throws Exception {
        Path yaml = dir.resolve("myelin.yaml");
        Files.writeString(yaml, """
                port: 8000
                host: 0.0.0.0
                sse:
                  idle-timeout: 30s
                  max_per_axon: 7
                limits:
                  max-payload-bytes: 4096
                """);
        ServerConfig fromYaml = new ConfigLoader().yaml(yaml).build();
        assertThat(fromYaml.port()).isEqualTo(8000);
        assertThat(fromYaml.host()).isEqualTo("0.0.0.0");
        assertThat(fromYaml.sseIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromYaml.streamLimits().maxSubscribersPerAxon()).isEqualTo(7);
        assertThat(fromYaml.streamLimits().maxPayloadBytes()).isEqualTo(4096);
        assertThat(fromYaml.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));

        ServerConfig withEnv = new ConfigLoader().yaml(yaml)
                .env(Map.of("MYELIN_PORT", "9000", "MYELIN_SSE_IDLE_TIMEOUT", "250ms", "UNRELATED", "x")).build();
        assertThat(withEnv.port()).isEqualTo(9000);
        assertThat(withEnv.sseIdleTimeout()).isEqualTo(Duration.ofMillis(250));

        ServerConfig withFlags = new ConfigLoader().yaml(yaml).env(Map.of("MYELIN_PORT", "9000"))
                .flag("port", 9100).flag("sse.idle-timeout", "PT2M").build();
        assertThat(withFlags.port()).isEqualTo(9100);
        assertThat(withFlags.sseIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void mistakesNameTheKey() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "sse:\n  idle-timout: 5s\n");
        assertThatThrownBy(() -> new ConfigLoader().yaml(yaml)).isInstanceOf(MyelinException.class)
                .hasMessageContaining("sse.idle-timout");
        assertThatThrownBy(() -> new ConfigLoader().env(Map.of("MYELIN_PORT", "eighty")).build())
                .hasMessageContaining("port").hasMessageContaining("eighty");
        assertThatThrownBy(() -> new ConfigLoader().flag("sse.heartbeat", "soon").build())
                .hasMessageContaining("sse.heartbeat");
        assertThatThrownBy(() -> new ConfigLoader().flag("limits.max-payload-bytes", "-1").build())
                .hasMessageContaining("limits.max-payload-bytes");
        assertThatThrownBy(() -> new ConfigLoader().flag("port", 70000).build()).hasMessageContaining("port");
    }

    @Test
    void configuredAdminKeysCarryAtLeast128Bits() {
        String hex16 = "0123456789abcdef0123456789abcdef"; // what `openssl rand -hex 16` prints: 32 characters
        assertThat(new ConfigLoader().flag("admin-key", hex16).build().adminKey()).isEqualTo(hex16);
        assertThat(new ConfigLoader().env(Map.of("MYELIN_ADMIN_KEY", "")).build().adminKey()).isNull();

        String shortKey = hex16.substring(1);
        assertThatThrownBy(() -> new ConfigLoader().env(Map.of("MYELIN_ADMIN_KEY", shortKey)).build())
                .isInstanceOf(MyelinException.class)
                .hasMessage("admin-key must be at least 32 printable ASCII characters without whitespace (128 bits;"
                        + " e.g. the output of `openssl rand -hex 16`); the configured key has 31 characters")
                .satisfies(e -> assertThat(((MyelinException) e).field()).isEqualTo("admin-key"));
        assertThatThrownBy(() -> new ConfigLoader().flag("admin-key", hex16 + " x").build())
                .hasMessageEndingWith("the configured key has whitespace at position 33");
        assertThatThrownBy(() -> new ConfigLoader().flag("admin-key", hex16 + "é").build())
                .hasMessageEndingWith("the configured key has a character outside printable ASCII at position 33");
    }

    @Test
    void durations() {
        assertThat(io.myelin.text.Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(io.myelin.text.Durations.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(io.myelin.text.Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(io.myelin.text.Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(io.myelin.text.Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(io.myelin.text.Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(io.myelin.text.Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void configTextMustBeValidUtf8() throws Exception {
        Path yaml = dir.resolve("latin1.yaml");
        byte[] head = "port: 8000\nadmin-key: caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xC0; // overlong '/'
        bytes[head.length + 1] = (byte) 0xAF;
        Files.write(yaml, bytes);
        assertThatThrownBy(() -> new ConfigLoader().yaml(yaml)).isInstanceOf(MyelinException.class)
                .hasMessageContaining(yaml.toString()).hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("overlong encoding at byte offset " + head.length);

        for (String key : new String[] {"admin-key", "host", "data-dir"}) {
            String env = "MYELIN_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            assertThatThrownBy(() -> new ConfigLoader().env(Map.of(env, "bad\uFFFDvalue")).build()).as(key)
                    .isInstanceOf(MyelinException.class).hasMessageContaining(key).hasMessageContaining("U+FFFD");
        }
        assertThatThrownBy(() -> new ConfigLoader().flag("admin-key", "clé-" + "0123456789".repeat(4)).build())
                .hasMessageContaining("admin-key must be at least 32 printable ASCII characters")
                .hasMessageContaining("a character outside printable ASCII at position 3");
        assertThat(new ConfigLoader().flag("data-dir", dir.resolve("dé-😀")).build().dataDir().toString()).endsWith("dé-😀");
    }

    @Test
    void bodyTimeoutIsASetting() {
        assertThat(new ConfigLoader().build().bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new ConfigLoader().flag("http.body-timeout", "2s").build().bodyTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new ConfigLoader().flag("http.body-timeout", "0s").build())
                .hasMessageContaining("http.body-timeout");
    }

    @Test
    void webhookSettings() {
        io.myelin.webhook.WebhookOptions defaults = new ConfigLoader().build().webhooks();
        assertThat(defaults).isEqualTo(io.myelin.webhook.WebhookOptions.DEFAULTS);
        assertThat(defaults.retrySchedule().stream().reduce(Duration.ZERO, Duration::plus))
                .isGreaterThanOrEqualTo(Duration.ofHours(24));
        ServerConfig c = new ConfigLoader().flag("webhooks.retry-schedule", "0, 250ms ,1m").build();
        assertThat(c.webhooks().retrySchedule()).containsExactly(Duration.ZERO, Duration.ofMillis(250),
                Duration.ofMinutes(1));
        for (String bad : new String[] {"", "1s,,2s", "5x", "-1s", String.join(",", java.util.Collections.nCopies(101, "1s"))}) {
            assertThatThrownBy(() -> new ConfigLoader().flag("webhooks.retry-schedule", bad).build())
                    .isInstanceOfSatisfying(MyelinException.class,
                            e -> assertThat(e.field()).isEqualTo("webhooks.retry-schedule"));
        }
        assertThatThrownBy(() -> new ConfigLoader().flag("webhooks.max-concurrent-attempts", "0").build())
                .isInstanceOfSatisfying(MyelinException.class,
                        e -> assertThat(e.field()).isEqualTo("webhooks.max-concurrent-attempts"));
    }
}
