package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /readyz} is 503 while the Axon SQL directory cannot take new files, and 200 again once it can. */
@Timeout(60)
class ReadinessDirsTest {

    @Test
    void anAxonSqlDirectoryThatCannotTakeFilesMakesTheNodeNotReady() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.get("/readyz").status()).isEqualTo(200);
            Path sql = s.dataDir().resolve("sql");
            if (Files.exists(sql)) {
                try (Stream<Path> all = Files.walk(sql)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            // A file where the directory must be: works as root too, unlike a file mode.
            Files.writeString(sql, "not a directory");
            var notReady = s.get("/readyz");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().path("reason").asText()).contains("Axon SQL").contains("sql");

            Files.delete(sql);
            assertThat(s.get("/readyz").status()).as("not created yet: the data dir can take it").isEqualTo(200);
            Files.createDirectory(sql);
            assertThat(s.get("/readyz").status()).isEqualTo(200);
        }
    }
}
