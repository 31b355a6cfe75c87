package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Everything Myelin writes is private to its owner: directories 0700, files 0600, side files included. */
@Timeout(60)
class FilePermissionsTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
    }

    @Test
    void aFreshDataDirHoldsOnlyOwnerOnlyFilesWhileInUse() throws IOException {
        Path dataDir = tmp.resolve("fresh").resolve("data");
        try (TestServer s = TestServer.start(dataDir, Map.of())) {
            String axon = s.createAxon("modes");
            assertThat(s.publish(axon, "message", "{}").status()).isEqualTo(200);
            assertThat(s.post("/v1/axons/" + axon + "/sql/batch", Map.of("statements", List.of(
                    Map.of("sql", "CREATE TABLE t (v)"), Map.of("sql", "INSERT INTO t VALUES (1)")))).status()).isEqualTo(200);

            Map<String, String> modes = modes(dataDir);
            // The server and the axon database are open: their WAL side files exist and follow the database's mode.
            assertThat(modes.keySet()).contains("myelin.db", "myelin.db-wal", "myelin.db-shm", "sql");
            assertThat(modes.keySet().stream().filter(p -> p.startsWith("sql/") && p.endsWith(".db-wal"))).hasSize(1);
            assertThat(modes.keySet().stream().filter(p -> p.startsWith("sql/") && p.endsWith(".db-shm"))).hasSize(1);
            modes.forEach((path, mode) -> assertThat(mode).as(path).isEqualTo(
                    Files.isDirectory(dataDir.resolve(path)) ? "rwx------" : "rw-------"));
            assertThat(mode(dataDir)).as("the data dir").isEqualTo("rwx------");
        }
    }

    @Test
    void looseModesFromAnOlderVersionAreTightenedAtStart() throws IOException {
        Path dataDir = tmp.resolve("old");
        try (TestServer s = TestServer.start(dataDir, Map.of())) {
            String axon = s.createAxon("old");
            s.post("/v1/axons/" + axon + "/sql/query", Map.of("sql", "CREATE TABLE t (v)"));
        }
        Files.writeString(dataDir.resolve("admin.key"), "myl_old\n");
        Path notes = Files.writeString(dataDir.resolve("notes.txt"), "the operator's own file");
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }

        try (TestServer s = TestServer.start(dataDir, Map.of())) {
            assertThat(s.get("/v1/axons").status()).isEqualTo(200);
        }
        Map<String, String> modes = modes(dataDir);
        assertThat(modes.remove("notes.txt")).as("not Myelin's: left alone").isEqualTo("rw-r--r--");
        assertThat(modes).containsKeys("myelin.db", "admin.key", "sql");
        modes.forEach((path, mode) -> assertThat(mode).as(path).isEqualTo(
                Files.isDirectory(dataDir.resolve(path)) ? "rwx------" : "rw-------"));
        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(Files.readString(notes)).isEqualTo("the operator's own file");
    }

    @Test
    void aSharedDirectoryUsedAsTheDataDirKeepsItsMode() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        assumeTrue(Mounts.run("chmod", "1777", shared.toString()), "chmod");
        try (TestServer s = TestServer.start(shared, Map.of())) {
            assertThat(s.get("/v1/axons").status()).isEqualTo(200);
        }
        assertThat(((Integer) Files.getAttribute(shared, "unix:mode")) & 07777).isEqualTo(01777);
        assertThat(mode(shared.resolve("myelin.db"))).isEqualTo("rw-------");
    }

    /** Every path under {@code dir}, relative, with its mode. */
    private static Map<String, String> modes(Path dir) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(p -> !p.equals(dir)).toList()) {
                modes.put(dir.relativize(p).toString(), mode(p));
            }
        }
        return modes;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
