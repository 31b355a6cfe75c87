package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.myelin.error.MyelinException;
import io.myelin.server.config.ConfigLoader;
import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir that cannot be used stops the start with one line naming the path, the user and the cause. File modes
 * do not stop root, so as root the read-only cases use a read-only bind mount instead of chmod (and are skipped
 * where mounting is not allowed).
 */
@Timeout(60)
class DataDirTest {
    @TempDir
    Path tmp;

    private static MyelinException startFails(Path dataDir) {
        Throwable t = catchThrowable(() -> MyelinServer.start(new ConfigLoader()
                .flag("port", 0).flag("data-dir", dataDir).flag("admin-key", TestServer.ADMIN_KEY).build()).close());
        assertThat(t).as("start on " + dataDir + " fails").isInstanceOf(MyelinException.class);
        MyelinException e = (MyelinException) t;
        assertThat(e.getMessage()).startsWith("cannot start: ").doesNotContain("\n");
        return e;
    }

    @Test
    void aDataDirThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("data"), "not a directory");
        assertThat(startFails(file).getMessage()).isEqualTo("cannot start: data dir " + file + " is not a directory");
    }

    @Test
    void aDataDirUnderAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("parent"), "not a directory");
        Path dir = file.resolve("data");
        assertThat(startFails(dir).getMessage()).startsWith("cannot start: cannot create data dir " + dir + ": ");
    }

    @Test
    void aDataDirWhoseParentMayNotBeWrittenIsRefused() throws IOException {
        assumeTrue(!Mounts.isRoot(), "file modes do not stop root");
        Path parent = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-x------"));
        try {
            Path dir = parent.resolve("data");
            assertThat(startFails(dir).getMessage()).startsWith("cannot start: cannot create data dir " + dir + ": ")
                    .contains("may not create");
        } finally {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aReadOnlyDataDirIsRefused() throws IOException {
        Path dir = tmp.resolve("data");
        TestServer.start(dir, java.util.Map.of()).close(); // a data dir with a database in it
        Runnable undo = readOnly(dir);
        try {
            String message = startFails(dir).getMessage();
            assertThat(message).startsWith("cannot start: data dir " + dir + " is not writable by this user (user "
                    + System.getProperty("user.name") + ", uid ");
            assertThat(message).containsAnyOf("permission denied", "Read-only file system");
        } finally {
            undo.run();
        }
    }

    @Test
    void aReadOnlyDatabaseIsRefused() throws IOException {
        Path dir = tmp.resolve("data");
        TestServer.start(dir, java.util.Map.of()).close();
        Path db = dir.resolve("myelin.db");
        Runnable undo = readOnly(db);
        try {
            assertThat(startFails(dir).getMessage()).startsWith("cannot start: " + db + " is read-only for this user");
        } finally {
            undo.run();
        }
    }

    /** Makes {@code path} read-only for this process, root included; returns how to undo it. */
    private static Runnable readOnly(Path path) throws IOException {
        if (Mounts.isRoot()) {
            assumeTrue(Mounts.readOnlyBind(path), "a read-only bind mount needs mount privileges; skipped");
            return () -> Mounts.unmount(path);
        }
        var before = Files.getPosixFilePermissions(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-x------" : "r--------"));
        assumeTrue(!Files.isWritable(path), "this user can still write " + path);
        return () -> {
            try {
                Files.setPosixFilePermissions(path, before);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
