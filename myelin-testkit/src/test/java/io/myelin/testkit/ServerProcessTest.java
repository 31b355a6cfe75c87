package io.myelin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerProcessTest {
    @Test
    void aKilledChildRestartsOnTheSamePortWithItsAcknowledgedData() throws Exception {
        Path dir;
        try (ServerProcess server = ServerProcess.onClasspath().setting("sse.heartbeat", "1s").start();
             TestClient http = new TestClient(server.baseUrl())) {
            dir = server.dataDir();
            String axon = http.post("/v1/axons", "{\"name\":\"survivor\"}").get("id").asText();
            long seq = http.post("/v1/axons/" + axon + "/publish",
                    "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"acked\"}").get("sequence").asLong();
            int port = server.port();

            server.kill9();
            assertThat(server.isAlive()).isFalse();
            server.start();

            assertThat(server.port()).isEqualTo(port);
            assertThat(http.get("/v1/axons/" + axon + "/events").get("events").get(0).get("sequence").asLong()).isEqualTo(seq);
            assertThat(Files.readString(server.log())).contains("listening on " + server.baseUrl());
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aChildThatCannotStartFailsWithItsLog() throws Exception {
        Path file = Files.createTempFile("myelin-not-a-dir", "");
        try {
            assertThatThrownBy(() -> ServerProcess.onClasspath().dataDir(file).start())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited")
                    .hasMessageContaining("not a directory");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".log"));
        }
    }
}
