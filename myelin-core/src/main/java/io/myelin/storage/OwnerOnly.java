package io.myelin.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories that only their owner may read: every directory Myelin creates is 0700 and every file 0600,
 * set atomically at creation (never created looser and fixed after). On a filesystem without POSIX permissions the
 * modes are skipped silently.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /** Creates {@code dir} (0700); its parent must exist. Fails with FileAlreadyExistsException when it exists. */
    public static void createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(dir);
        }
    }

    /** Creates {@code dir} and any missing parents, each 0700: for trees Myelin owns entirely. */
    public static void createDirectories(Path dir) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIR);
        try {
            Files.createDirectories(dir, mode);
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    /** Creates an empty file (0600) unless one exists; true when it was created. */
    public static boolean createFile(Path file) throws IOException {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Takes every group and other permission off {@code path} (0644 becomes 0600, 0755 becomes 0700; the owner's
     * bits are left as they are). True when something changed; false when nothing had to, or on non-POSIX
     * filesystems.
     *
     * @throws IOException when the mode cannot be read or changed (for instance, another user owns the file)
     */
    public static boolean tighten(Path path) throws IOException {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException notPosix) {
            return false;
        }
        Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(mode);
        loose.retainAll(GROUP_AND_OTHERS);
        if (loose.isEmpty()) {
            return false;
        }
        Set<PosixFilePermission> tight = EnumSet.copyOf(mode);
        tight.removeAll(GROUP_AND_OTHERS);
        Files.setPosixFilePermissions(path, tight);
        return true;
    }
}
