package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.myelin.server.http.ErrorHandling;
import io.myelin.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every 5xx is logged at ERROR with its cause, also with the request log off; client faults stay below INFO. */
@Timeout(60)
class ServerErrorLogTest {

    @Test
    void aStorageFailureIsLoggedAtErrorWithItsCause() throws Exception {
        try (LogCapture log = new LogCapture(ErrorHandling.class.getName(), Level.DEBUG);
             TestServer s = TestServer.start()) {
            String id = s.createAxon("broken-disk");
            // A real storage failure: where the axon's SQL database must go, its shard directory is a file.
            CRC32 crc = new CRC32();
            crc.update(id.getBytes(StandardCharsets.US_ASCII));
            Path shard = s.server().dataDir().resolve("sql").resolve(String.format("%02x", crc.getValue() & 0xff));
            Files.createDirectories(shard.getParent());
            Files.writeString(shard, "not a directory");

            var failed = s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "SELECT 1"),
                    Map.of("X-Request-Id", "trace-5xx"));
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.errorType()).isEqualTo("internal");
            assertThat(failed.body()).doesNotContain(shard.toString());
            assertThat(failed.response().headers().firstValue("x-request-id")).contains("trace-5xx");

            List<ILoggingEvent> errors = log.events().stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            ILoggingEvent error = errors.getFirst();
            assertThat(error.getFormattedMessage())
                    .startsWith("POST /v1/axons/" + id + "/sql/query answered 500 (request trace-5xx, key key_")
                    .contains("cannot create the axon's SQL database");
            assertThat(causes(error.getThrowableProxy())).as("the exception and its cause")
                    .contains("io.myelin.error.MyelinException", "java.nio.file.FileAlreadyExistsException");

            var clientFault = s.get("/v1/axons/axn_nope");
            assertThat(clientFault.status()).isEqualTo(404);
            assertThat(log.lines("/v1/axons/axn_nope")).hasSize(1);
            assertThat(log.events().stream().filter(e -> e.getFormattedMessage().contains("axn_nope")))
                    .allSatisfy(e -> {
                        assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                        assertThat(e.getThrowableProxy()).isNull();
                    });
        }
    }

    static List<String> causes(IThrowableProxy t) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (IThrowableProxy c = t; c != null; c = c.getCause()) {
            out.add(c.getClassName());
        }
        return out;
    }
}
