package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.testkit.TestServer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A second server on a port that is taken says so in one line, not as a bind stack trace. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PortInUseTest {
    @Test
    void aPortInUseIsNamedAsSuch() throws Exception {
        try (TestServer first = TestServer.start()) {
            int port = first.server().port();
            assertThatThrownBy(() -> MyelinServer.start(new ConfigLoader().flag("port", port)
                    .flag("data-dir", Files.createTempDirectory("myelin-port")).flag("admin-key", TestServer.ADMIN_KEY).build()))
                    .isInstanceOf(MyelinException.class)
                    .hasMessage("cannot start on 127.0.0.1:" + port + ": 127.0.0.1:" + port
                            + " is already in use (another server is listening there): stop it or choose another --port");
        }
    }
}
