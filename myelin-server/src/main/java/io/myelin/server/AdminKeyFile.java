package io.myelin.server;

import io.myelin.storage.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code <data-dir>/admin.key}: the generated admin key, readable by its owner only (0600). */
final class AdminKeyFile {
    private AdminKeyFile() {}

    static Path write(Path dataDir, String key) throws IOException {
        Path file = dataDir.resolve("admin.key");
        Files.deleteIfExists(file);
        OwnerOnly.createFile(file);
        Files.writeString(file, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }
}
