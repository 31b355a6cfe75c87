package io.myelin.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mount} and {@code umount} for tests that need a real full or read-only filesystem. They need root (or
 * CAP_SYS_ADMIN); where mounting is not allowed, {@link #run} answers false and the test skips itself.
 */
final class Mounts {
    private Mounts() {}

    /** True when this process runs as root, for whom file modes do not stop writes. */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A tmpfs of {@code size} (e.g. {@code 64m}) on {@code dir}; false when it could not be mounted. */
    static boolean tmpfs(Path dir, String size) {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
    }

    /** Makes {@code path} (a directory or a file) read-only in place, even for root: a read-only bind mount. */
    static boolean readOnlyBind(Path path) {
        if (!run("mount", "--bind", path.toString(), path.toString())) {
            return false;
        }
        if (!run("mount", "-o", "remount,ro,bind", path.toString())) {
            unmount(path);
            return false;
        }
        return true;
    }

    /** Unmounts {@code dir}; lazily when it is still busy, so a failed test never leaves a mount behind. */
    static void unmount(Path dir) {
        if (!run("umount", dir.toString())) {
            run("umount", "-l", dir.toString());
        }
    }

    static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no mount command
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
