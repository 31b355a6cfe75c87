package io.myelin.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithMyelinServer({"sse.heartbeat=300ms", "sse.idle-timeout = 2s"})
class MyelinServerExtensionTest {
    @InjectServer
    static TestServer shared;
    @InjectServer
    TestServer field;
    static TestServer fromBeforeAll;

    @BeforeAll
    static void start(TestServer server) {
        fromBeforeAll = server;
    }

    @Test
    void oneServerPerClassAsParameterAndField(TestServer server) {
        assertThat(server).isSameAs(shared).isSameAs(field).isSameAs(fromBeforeAll);
        assertThat(server.get("/readyz").status()).isEqualTo(200);
        assertThat(server.get("/v1/axons").status()).isEqualTo(200);
        assertThat(Files.isDirectory(server.dataDir())).isTrue();
    }

    @Test
    void settingsOnTheAnnotationConfigureTheServer(TestServer server) {
        assertThat(server.server().config().sseHeartbeat()).isEqualTo(Duration.ofMillis(300));
        assertThat(server.server().config().sseIdleTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Nested
    class Inner {
        @Test
        void aNestedClassSharesTheServer(TestServer server) {
            assertThat(server).isSameAs(shared);
        }
    }

    @Test
    void aRestartKeepsPortAndData() {
        try (TestServer own = TestServer.start()) {
            String axon = own.createAxon("kept");
            int port = own.port();
            own.stop();
            own.restart();
            assertThat(own.port()).isEqualTo(port);
            assertThat(own.get("/v1/axons/" + axon).json().get("name").asText()).isEqualTo("kept");
            own.close();
            assertThat(own.dataDir()).doesNotExist();
        }
    }
}
