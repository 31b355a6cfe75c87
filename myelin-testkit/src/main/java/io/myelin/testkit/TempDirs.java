package io.myelin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for servers and their logs. */
public final class TempDirs {
    private TempDirs() {
    }

    /** A new empty directory under the system temp dir, named {@code prefix} plus a random suffix. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir " + prefix + "*: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes {@code dir} and everything under it; a path that does not exist is fine. Best effort: a file that
     * cannot be deleted (a test made it read-only on purpose, a mount) is left, since cleanup must not fail a test.
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // see above: leftovers in the temp dir are harmless
        }
    }
}
