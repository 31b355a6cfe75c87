package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.storage.FreeSpace;
import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real full disk: the server's data dir lives on a 64 MiB tmpfs that the test fills with a filler file, then frees.
 *
 * <p>Needs root (or CAP_SYS_ADMIN) to mount the tmpfs; where mounting is not allowed the whole class is skipped.
 */
@Timeout(180)
class FullDiskTest {
    private static final int MAX_DATABASE_BYTES = 2 << 20;
    private static Path mount;
    private static boolean mounted;

    @BeforeAll
    static void mountSmallFilesystem() throws IOException {
        mount = Files.createTempDirectory("myelin-full-disk");
        mounted = Mounts.tmpfs(mount, "64m");
        assumeTrue(mounted, "mounting a tmpfs needs root; skipped");
    }

    @AfterAll
    static void unmount() throws IOException {
        if (mounted) {
            Mounts.unmount(mount);
        }
        Files.deleteIfExists(mount);
    }

    @Test
    void aFullDiskAnswers507AndReadinessFollowsUntilSpaceIsFreed() throws Exception {
        Path filler = mount.resolve("filler");
        try (TestServer s = TestServer.start(mount.resolve("data"),
                Map.of("sql.max-database-bytes", Integer.toString(MAX_DATABASE_BYTES)))) {
            String axon = s.createAxon("full-disk");
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                acked.add(published(s.publish(axon, "before", "{\"i\":" + i + "}")));
            }
            assertThat(sql(s, axon, "CREATE TABLE t (v BLOB)").status()).isEqualTo(200);
            int rows = 0;
            for (int i = 0; i < 3; i++) {
                assertThat(sql(s, axon, "INSERT INTO t VALUES (zeroblob(1000))").status()).isEqualTo(200);
                rows++;
            }

            // An axon at its own cap on a disk with room: 413, and the node stays ready.
            String capped = s.createAxon("capped");
            sql(s, capped, "CREATE TABLE t (v BLOB)");
            TestServer.Reply cap = untilFailure(s, capped, "INSERT INTO t VALUES (zeroblob(200000))").failure();
            assertThat(cap.status()).as(cap.body()).isEqualTo(413);
            assertThat(cap.errorType()).isEqualTo("payload_too_large");
            assertThat(cap.json().path("error").path("message").asText()).contains("sql.max-database-bytes")
                    .contains(Integer.toString(MAX_DATABASE_BYTES));
            assertThat(readyz(s).status()).isEqualTo(200);

            fill(filler);
            assertThat(FreeSpace.usableBytes(mount)).isLessThan(FreeSpace.FULL_BELOW_BYTES);

            // Axon SQL on a full disk: 507, not 413, and no path in the message.
            Attempts attempts = untilFailure(s, axon, "INSERT INTO t VALUES (zeroblob(100000))");
            rows += attempts.successes();
            TestServer.Reply full = attempts.failure();
            assertThat(full.status()).as(full.body()).isEqualTo(507);
            assertThat(full.errorType()).isEqualTo("insufficient_storage");
            String message = full.json().path("error").path("message").asText();
            assertThat(message).contains("disk is full").doesNotContain(mount.toString());

            TestServer.Reply notReady = readyz(s);
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.body()).startsWith("{\"status\":\"not_ready\",\"reason\":\"disk full: ");
            assertThat(notReady.json().path("reason").asText()).contains("disk full").doesNotContain(mount.toString());
            assertThat(s.get("/metrics").body()).contains("myelin_storage_writable 0.0");

            // Publishing on a full disk fails cleanly (the WAL may still reuse some space: keep going until it does).
            TestServer.Reply failedPublish = null;
            for (int i = 0; i < 500 && failedPublish == null; i++) {
                TestServer.Reply r = s.publish(axon, "during", "x".repeat(100_000));
                if (r.status() == 200) {
                    acked.add(r.json().get("sequence").asLong());
                } else {
                    failedPublish = r;
                }
            }
            assertThat(failedPublish).as("a publish failed while the disk was full").isNotNull();
            assertThat(failedPublish.status()).as(failedPublish.body()).isEqualTo(507);
            assertThat(failedPublish.errorType()).isEqualTo("insufficient_storage");
            assertThat(failedPublish.json().path("error").path("message").asText()).contains("disk is full");
            assertThat(readyz(s).status()).isEqualTo(503);
            // What was acknowledged is still there, even now.
            assertThat(sequences(s, axon)).containsAll(acked);

            // Free the space: the probe makes the node ready again by itself, and writes work.
            Files.delete(filler);
            await().atMost(Duration.ofSeconds(30)).until(() -> readyz(s).status() == 200);
            assertThat(readyz(s).json().path("status").asText()).isEqualTo("ready");
            assertThat(s.get("/metrics").body()).contains("myelin_storage_writable 1.0");

            acked.add(published(s.publish(axon, "after", "{}")));
            assertThat(sql(s, axon, "INSERT INTO t VALUES (zeroblob(1000))").status()).isEqualTo(200);
            rows++;

            List<Long> stored = sequences(s, axon);
            assertThat(stored).containsAll(acked);
            long last = acked.getLast();
            assertThat(stored).as("no hole in the sequence").hasSize((int) last);
            assertThat(sql(s, axon, "SELECT count(*) FROM t").json().at("/rows/0/0").asLong()).isEqualTo(rows);
        } finally {
            Files.deleteIfExists(filler);
        }
    }

    private record Attempts(TestServer.Reply failure, int successes) {}

    /** Runs {@code statement} until it fails, at most 200 times. */
    private static Attempts untilFailure(TestServer s, String axon, String statement) {
        for (int i = 0; i < 200; i++) {
            TestServer.Reply r = sql(s, axon, statement);
            if (r.status() != 200) {
                return new Attempts(r, i);
            }
        }
        throw new AssertionError("200 runs all succeeded: " + statement);
    }

    /** Writes 1 MiB chunks until the filesystem refuses (ENOSPC), then one byte at a time into the last pages. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 128; i++) {
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException full) {
                    break;
                }
            }
            for (int i = 0; i < (1 << 20); i += 4096) {
                try {
                    out.write(chunk, 0, 4096);
                } catch (IOException full) {
                    break;
                }
            }
        } catch (IOException closingOnAFullDisk) {
            // the last flush had nowhere to go; the filler is as big as it gets
        }
    }

    private static long published(TestServer.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("sequence").asLong();
    }

    private static TestServer.Reply sql(TestServer s, String axon, String statement) {
        return s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql", statement));
    }

    private static TestServer.Reply readyz(TestServer s) {
        return s.send(HttpRequest.newBuilder(s.uri("/readyz")).timeout(Duration.ofSeconds(10)).build());
    }

    private static List<Long> sequences(TestServer s, String axon) {
        TestServer.Reply r = s.get("/v1/axons/" + axon + "/events?limit=5000&include_total_count=false");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Long> seqs = new ArrayList<>();
        for (JsonNode e : r.json().get("events")) {
            seqs.add(e.get("sequence").asLong());
        }
        return seqs;
    }
}
