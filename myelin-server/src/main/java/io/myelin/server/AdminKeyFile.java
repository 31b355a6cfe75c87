package io.myelin.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** {@code <data-dir>/admin.key}: the generated admin key, readable by its owner only (0600). */
final class AdminKeyFile {
    private AdminKeyFile() {}

    static Path write(Path dataDir, String key) throws IOException {
        Path file = dataDir.resolve("admin.key");
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }
}
