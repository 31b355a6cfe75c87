package io.myelin.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Readiness beyond {@code myelin.db}: the directories the server creates files in on demand (the Axon SQL tree,
 * the devbox workspaces) must be writable directories, or the first request needing a new file there fails.
 * A directory not created yet is judged by its nearest existing ancestor, which must be a writable directory.
 *
 * <p>Cheap enough for every probe: one {@code access(2)} call per directory level that exists. Thread-safe.
 */
final class WritableDirs {
    private final Map<String, Path> dirs;

    /** @param dirs what each directory is (named in the reason), in order */
    WritableDirs(Map<String, Path> dirs) {
        this.dirs = dirs;
    }

    /** Why one of the directories cannot take new files, or null when all can. */
    String problem() {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            Path p = e.getValue();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isDirectory(p) || !Files.isWritable(p)) {
                return "the " + e.getKey() + " directory cannot take new files: "
                        + (p == null ? "no part of its path exists" : p.getFileName() + " is not a writable directory");
            }
        }
        return null;
    }
}
