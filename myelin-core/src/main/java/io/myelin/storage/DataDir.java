package io.myelin.storage;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir before anything opens a file in it: it exists (created 0700 when missing, its parents with the
 * default mode), it is a directory this user can write, the databases in it are writable, and what Myelin owns in
 * it is private to the owner.
 *
 * <p>Every problem an operator can cause (a path that is a file, a missing parent without permission, a read-only
 * directory, file or filesystem) is one {@link MyelinException} whose message is a single line starting with
 * {@code cannot start:} and naming the path, the user and the cause, so {@code myelin serve} can print it as is.
 *
 * <p>Permissions: a data dir from an older version may have been created 0755 with 0644 files. What Myelin owns in
 * it ({@link #OWNED_FILES} and the {@code sql/} tree) loses every group and other permission at start, with one INFO
 * line saying what changed; other files in the directory are left alone, and so is the mode of a shared directory
 * (sticky bit, such as {@code /tmp}) used as the data dir. Skipped on non-POSIX filesystems.
 */
public final class DataDir {
    private static final Logger log = LoggerFactory.getLogger(DataDir.class);

    /** The server-owned database: SQLite writes it and its side files. */
    static final List<String> DATABASE_FILES = List.of("myelin.db", "myelin.db-wal", "myelin.db-shm", "myelin.db-journal");
    /** Files directly in the data dir that Myelin owns. */
    static final List<String> OWNED_FILES = Stream.concat(DATABASE_FILES.stream(), Stream.of("admin.key")).toList();
    /** The Axon SQL tree: one directory per shard, one database (and side files) per axon. */
    public static final String SQL_DIR = "sql";

    private DataDir() {}

    /**
     * Checks, creates and tightens {@code dir}; see the class comment.
     *
     * @throws MyelinException {@code cannot start: ...} when the directory cannot be used
     */
    public static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw cannotStart("data dir " + dir + " is not a directory");
        }
        if (!Files.isDirectory(dir)) {
            create(dir);
        }
        checkWritable(dir);
        for (String name : DATABASE_FILES) {
            Path f = dir.resolve(name);
            if (Files.exists(f) && !Files.isWritable(f)) {
                throw cannotStart(f + " is read-only for this user (" + user() + "); Myelin needs to write it");
            }
        }
        Path sql = dir.resolve(SQL_DIR);
        if (Files.exists(sql) && !(Files.isDirectory(sql) && Files.isWritable(sql))) {
            throw cannotStart(sql + " is not a directory this user (" + user() + ") can write");
        }
        tighten(dir);
    }

    private static void create(Path dir) {
        try {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OwnerOnly.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw cannotStart("cannot create data dir " + dir + ": " + e.getFile() + " exists and is not a directory");
            }
        } catch (AccessDeniedException e) {
            throw cannotStart("cannot create data dir " + dir + ": this user (" + user() + ") may not create "
                    + e.getFile());
        } catch (FileSystemException e) {
            throw cannotStart("cannot create data dir " + dir + ": " + describe(e));
        } catch (IOException e) {
            throw cannotStart("cannot create data dir " + dir + ": " + e);
        }
    }

    /** Creates and removes a file: the only check that sees ACLs, read-only mounts and full disks alike. */
    private static void checkWritable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".myelin-write-check-", ""));
        } catch (AccessDeniedException e) {
            throw cannotStart("data dir " + dir + " is not writable by this user (" + user() + "): permission denied");
        } catch (FileSystemException e) {
            throw cannotStart("data dir " + dir + " is not writable by this user (" + user() + "): " + describe(e));
        } catch (IOException e) {
            throw cannotStart("data dir " + dir + " is not writable by this user (" + user() + "): " + e);
        }
    }

    private static void tighten(Path dir) {
        List<String> changed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (isShared(dir)) {
            log.warn("data dir {} is a shared directory (sticky bit, like /tmp): its own mode is left as it is; the files"
                    + " Myelin creates in it are still owner-only. Use a directory of its own.", dir);
        } else {
            tighten(dir, "the data dir", changed, failed);
        }
        for (String name : OWNED_FILES) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                tighten(f, name, changed, failed);
            }
        }
        Path sql = dir.resolve(SQL_DIR);
        if (Files.isDirectory(sql)) {
            int dirs = 0;
            int files = 0;
            try (Stream<Path> tree = Files.walk(sql)) {
                for (Path p : (Iterable<Path>) tree::iterator) {
                    if (Files.isSymbolicLink(p)) {
                        continue; // not created by Myelin: leave its target alone
                    }
                    if (tighten(p, dir.relativize(p).toString(), null, failed)) {
                        if (Files.isDirectory(p)) {
                            dirs++;
                        } else {
                            files++;
                        }
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                failed.add(SQL_DIR + "/ (" + e.getMessage() + ")");
            }
            if (dirs + files > 0) {
                changed.add(SQL_DIR + "/ (" + dirs + " directories, " + files + " files)");
            }
        }
        if (!changed.isEmpty()) {
            log.info("permissions tightened to owner-only (directories 0700, files 0600) in data dir {}: {}", dir,
                    String.join(", ", changed));
        }
        if (!failed.isEmpty()) {
            log.warn("cannot tighten permissions in data dir {} (other users may read them): {}", dir,
                    String.join(", ", failed));
        }
    }

    /** A directory with the sticky bit (such as /tmp) belongs to everyone: taking its permissions would break it. */
    private static boolean isShared(Path dir) {
        try {
            return (((Integer) Files.getAttribute(dir, "unix:mode")) & 01000) != 0;
        } catch (IOException | RuntimeException notUnix) {
            return false;
        }
    }

    private static boolean tighten(Path p, String name, List<String> changed, List<String> failed) {
        try {
            boolean did = OwnerOnly.tighten(p);
            if (did && changed != null) {
                changed.add(name);
            }
            return did;
        } catch (IOException e) {
            failed.add(name + " (" + (e instanceof FileSystemException fse ? describe(fse) : e.toString()) + ")");
            return false;
        }
    }

    private static String describe(FileSystemException e) {
        String reason = e.getReason();
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    /** {@code user NAME, uid N}: who the server runs as, for messages about permissions. */
    static String user() {
        String name = "user " + System.getProperty("user.name");
        try {
            return name + ", uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return name; // not Linux
        }
    }

    private static MyelinException cannotStart(String message) {
        return new MyelinException(ErrorKind.INTERNAL, "data-dir", "cannot start: " + message);
    }
}
